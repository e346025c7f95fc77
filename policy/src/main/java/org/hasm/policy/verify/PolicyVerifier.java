package org.hasm.policy.verify;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.Flow;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.Rule;
import org.hasm.policy.UseCase;

/**
 * Proves the static rules P1–P10 on a policy graph. Each check looks for a counter-example and reports
 * the shortest one, so a failing rule always comes with the flow or path that breaks it. Flows are
 * examined in catalogue order so the reported counter-example is the same on every run. Beside the
 * safety rules it checks completeness: every use case of the paper still has its path ({@link UseCase}).
 */
public final class PolicyVerifier {
    private static final Set<Part> OFF_SWITCH_SECURITY_SOURCES =
            EnumSet.of(Part.Communications, Part.CreditBalance, Part.Display, Part.Clock, Part.OffSwitchLog);
    private static final Set<MessageType> CREDIT_REQUESTS = EnumSet.of(MessageType.ZeroCredit, MessageType.CreditRestored);

    private static final Comparator<Flow> CATALOGUE_ORDER =
            Comparator.comparing(Flow::sender).thenComparing(Flow::receiver).thenComparing(Flow::type);

    private final FlowPolicy policy;
    private final List<Flow> flows;

    public PolicyVerifier(FlowPolicy policy) {
        this.policy = policy;
        this.flows = new ArrayList<>(policy.flows());
        this.flows.sort(CATALOGUE_ORDER);
    }

    public List<RuleVerdict> verifyAll() {
        List<RuleVerdict> verdicts = new ArrayList<>();
        for (Rule rule : Rule.values()) {
            if (rule.isStatic()) {
                verdicts.add(verify(rule));
            }
        }
        return verdicts;
    }

    /** Completeness: one verdict per use case, naming the flows of its path the policy lacks. */
    public List<UseCaseVerdict> verifyUseCases() {
        List<UseCaseVerdict> verdicts = new ArrayList<>();
        for (UseCase u : UseCase.values()) {
            List<Flow> missing = u.path().stream()
                    .filter(f -> !policy.allows(f.sender(), f.receiver(), f.type()))
                    .sorted(CATALOGUE_ORDER)
                    .toList();
            verdicts.add(new UseCaseVerdict(u, missing.isEmpty(), missing));
        }
        return verdicts;
    }

    public RuleVerdict verify(Rule rule) {
        return switch (rule) {
            case P1 -> defaultDeny();
            case P2 -> edge(rule, f -> f.receiver() == Part.OffSwitch && f.sender() != Part.OffSwitchSecurity,
                    "OffSwitch takes input only from OffSwitchSecurity");
            case P3 -> creditBalanceIsolation();
            case P4 -> edge(rule, f -> crossesBoundary(f) && !touches(f, Part.Communications),
                    "an external party talks to a part other than Communications");
            case P5 -> edge(rule, f -> f.sender() == Part.Communications && f.receiver().isInternal()
                    && !f.receiver().isSecurityModule(), "Communications passes an inbound message to a non-security part");
            case P6 -> edge(rule, f -> f.receiver() == Part.Communications && f.sender().isInternal()
                    && !f.sender().isSecurityModule(), "a non-security part feeds Communications directly");
            case P7 -> edge(rule, f -> f.sender() == Part.HanGateway
                    || (f.receiver() == Part.HanGateway && !f.type().allowedToHan()),
                    "the HAN diode is crossed inwards or carries a type it must not");
            case P8 -> segmentOwnership();
            case P9 -> edge(rule, this::joinsCsAndDc, "CS and DC security touch each other or each other's segments");
            case P10 -> edge(rule, f -> f.receiver() == Part.OffSwitchSecurity
                    && !OFF_SWITCH_SECURITY_SOURCES.contains(f.sender()),
                    "OffSwitchSecurity accepts a sender outside its fixed set");
            default -> throw new IllegalArgumentException(rule + " is behaviour, not a property of the policy graph");
        };
    }

    private RuleVerdict defaultDeny() {
        Optional<FlowPolicy.Edge> wildcard = policy.wildcards().stream()
                .min(Comparator.comparing(FlowPolicy.Edge::sender).thenComparing(FlowPolicy.Edge::receiver));
        if (wildcard.isPresent()) {
            FlowPolicy.Edge e = wildcard.get();
            Flow example = new Flow(e.sender(), e.receiver(), MessageType.values()[0]);
            return RuleVerdict.fails(Rule.P1, List.of(example),
                    "'" + e + " : *' allows every message type on that edge");
        }
        return RuleVerdict.holds(Rule.P1);
    }

    private RuleVerdict creditBalanceIsolation() {
        for (Flow f : flows) {
            if (f.sender() == Part.CreditBalance && f.receiver() == Part.OffSwitchSecurity && !CREDIT_REQUESTS.contains(f.type())) {
                return RuleVerdict.fails(Rule.P3, List.of(f), "CreditBalance may only ask OffSwitchSecurity " + CREDIT_REQUESTS);
            }
        }
        List<Flow> path = shortestPath(Part.CreditBalance, Part.OffSwitch, EnumSet.of(Part.OffSwitchSecurity));
        if (!path.isEmpty()) {
            return RuleVerdict.fails(Rule.P3, path, "CreditBalance reaches OffSwitch around OffSwitchSecurity");
        }
        return RuleVerdict.holds(Rule.P3);
    }

    private RuleVerdict segmentOwnership() {
        Map<Part, Flow> logWritten = new EnumMap<>(Part.class);
        for (Flow f : flows) {
            Part sender = f.sender();
            Part receiver = f.receiver();
            if (receiver.kind() == Part.Kind.SEGMENT && f.type().writesSegment() && receiver.owner().orElseThrow() != sender) {
                return RuleVerdict.fails(Rule.P8, List.of(f), receiver + " is written by " + sender + ", not its owner "
                        + receiver.owner().orElseThrow());
            }
            if (receiver.kind() == Part.Kind.SEGMENT && receiver.owner().orElseThrow() != sender) {
                return RuleVerdict.fails(Rule.P8, List.of(f), receiver + " is accessed by " + sender + ", not its owner "
                        + receiver.owner().orElseThrow());
            }
            if (sender.kind() == Part.Kind.SEGMENT && sender.owner().orElseThrow() != receiver) {
                return RuleVerdict.fails(Rule.P8, List.of(f), sender + " answers " + receiver + ", not its owner "
                        + sender.owner().orElseThrow());
            }
            if (receiver.isLog() && f.type().writesSegment()) {
                Flow other = logWritten.get(sender);
                if (other != null && other.receiver() != receiver) {
                    return RuleVerdict.fails(Rule.P8, List.of(other, f), sender + " writes two logs");
                }
                logWritten.putIfAbsent(sender, f);
            }
        }
        return RuleVerdict.holds(Rule.P8);
    }

    private RuleVerdict edge(Rule rule, Predicate<Flow> forbidden, String why) {
        for (Flow f : flows) {
            if (forbidden.test(f)) {
                return RuleVerdict.fails(rule, List.of(f), why);
            }
        }
        return RuleVerdict.holds(rule);
    }

    private boolean joinsCsAndDc(Flow f) {
        return side(f.sender(), Part.CsSecurity) && side(f.receiver(), Part.DcSecurity)
                || side(f.sender(), Part.DcSecurity) && side(f.receiver(), Part.CsSecurity);
    }

    /** The module itself or a segment it owns. */
    private static boolean side(Part p, Part module) {
        return p == module || p.owner().filter(o -> o == module).isPresent();
    }

    private static boolean crossesBoundary(Flow f) {
        return f.sender().isExternal() && f.receiver().isInternal() || f.receiver().isExternal() && f.sender().isInternal();
    }

    private static boolean touches(Flow f, Part p) {
        return f.sender() == p || f.receiver() == p;
    }

    /** Breadth-first search over parts, never entering {@code avoid}; empty if {@code to} is unreachable. */
    List<Flow> shortestPath(Part from, Part to, Set<Part> avoid) {
        Map<Part, Flow> reachedBy = new EnumMap<>(Part.class);
        Deque<Part> queue = new ArrayDeque<>();
        Set<Part> seen = EnumSet.of(from);
        queue.add(from);
        while (!queue.isEmpty()) {
            Part at = queue.poll();
            for (Flow f : flows) {
                Part next = f.receiver();
                if (f.sender() != at || avoid.contains(next) || !seen.add(next)) {
                    continue;
                }
                reachedBy.put(next, f);
                if (next == to) {
                    List<Flow> path = new ArrayList<>();
                    for (Part p = to; p != from; p = reachedBy.get(p).sender()) {
                        path.add(reachedBy.get(p));
                    }
                    Collections.reverse(path);
                    return path;
                }
                queue.add(next);
            }
        }
        return List.of();
    }
}
