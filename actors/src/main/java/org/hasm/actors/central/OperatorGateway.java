package org.hasm.actors.central;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.hasm.actors.link.WireMessage;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.crypto.OperatorSigning.Approval;
import org.hasm.actors.crypto.OperatorSigning.BulkRequest;
import org.hasm.actors.crypto.VerifyingKey;
import org.hasm.persistence.JournalSerializable;
import org.hasm.persistence.jdbc.JournalStore;

/**
 * The central system's operator command gateway, enforcing P16 (DESIGN 4, 8): bulk switch commands run at
 * no more than {@code switchOffsPerMinute} meters per simulated minute, each meter at a randomised offset
 * inside its minute so the load does not step all at once; a switch-off of more than
 * {@code quorumThreshold} meters, or one that would take its operator past that many switch-offs within
 * {@code unilateralWindow}, is held until a quorum of distinct operators (the requester counts as one)
 * approved it with signed approvals. So one stolen credential switches off at most {@code quorumThreshold}
 * meters per window. Every attempt (executed, rate-limited, held, approval, refused) is persisted on its own
 * journal {@code hasm.journal.central-operator} and logged.
 *
 * <p>Time is the simulation's: the gateway learns it from {@link Tick}s and releases what is due; send one
 * at least every simulated minute while bulk commands are pending for the per-meter offsets to show.
 */
public final class OperatorGateway extends EventSourcedBehavior<OperatorGateway.Command, OperatorGateway.Event, OperatorGateway.State> {
    public static final String JOURNAL = "hasm.journal." + JournalStore.CENTRAL_OPERATOR;
    public static final String SNAPSHOTS = "hasm.snapshot." + JournalStore.CENTRAL_OPERATOR;
    private static final long MINUTE_MS = 60_000L;

    /**
     * @param operators each operator's public signing key (the credential's private half stays with the operator)
     * @param seed      of the per-meter offsets: same seed, same schedule
     */
    public record Settings(int switchOffsPerMinute, int quorumThreshold, int quorum, Duration unilateralWindow,
                           Map<String, VerifyingKey> operators, long seed) {
        public Settings {
            if (switchOffsPerMinute < 1) {
                throw new IllegalArgumentException("the switch-off rate limit is at least 1 meter per minute, not " + switchOffsPerMinute);
            }
            if (quorumThreshold < 0) {
                throw new IllegalArgumentException("the quorum threshold is a number of meters, not " + quorumThreshold);
            }
            if (quorum < 2) {
                throw new IllegalArgumentException("a quorum is at least 2 distinct operators, not " + quorum);
            }
            if (unilateralWindow == null || unilateralWindow.isNegative() || unilateralWindow.isZero()) {
                throw new IllegalArgumentException("the window of one operator's switch-offs must be positive");
            }
            operators = Map.copyOf(operators);
            if (operators.size() < quorum) {
                throw new IllegalArgumentException(operators.size() + " operators cannot form a quorum of " + quorum);
            }
        }

        /** 100 meters a minute, quorum of 2 above 50 meters, per simulated day. */
        public static Settings defaults(Map<String, VerifyingKey> operators, long seed) {
            return new Settings(100, 50, 2, Duration.ofDays(1), operators, seed);
        }
    }

    // ---- protocol ----

    public interface Command extends WireMessage {
    }

    /** The simulation's clock (epoch millis); releases the switch commands that are due. */
    public record Tick(long now) implements Command {
    }

    public record RequestBulk(BulkRequest request, ActorRef<AttemptOutcome> replyTo) implements Command {
    }

    public record Approve(Approval approval, ActorRef<AttemptOutcome> replyTo) implements Command {
    }

    public record GetStatus(ActorRef<Status> replyTo) implements Command {
    }

    public enum Outcome {
        /** Accepted; every meter's command goes out within the current simulated minute. */
        EXECUTED,
        /** Accepted; spread over later minutes by the rate limit. */
        RATE_LIMITED,
        /** Waiting for approvals of other operators. */
        HELD_FOR_QUORUM,
        /** An approval counted; the quorum is not complete yet. */
        APPROVAL_RECORDED,
        /** Not accepted; {@code reason} says why. */
        REFUSED
    }

    public record AttemptOutcome(String requestId, String operatorId, Outcome outcome, String reason) implements WireMessage {
    }

    /** What the gateway did: every attempt, releases per simulated minute (epoch minute), what waits. */
    /** @param releasedTo switch commands released so far, per meter */
    public record Status(List<AttemptRecorded> attempts, long released, Map<Long, Integer> releasedPerMinute, int pending,
                         List<String> heldForQuorum, Map<String, Integer> releasedTo) implements WireMessage {
    }

    // ---- events ----

    public sealed interface Event extends JournalSerializable {
    }

    /** One attempt: {@code action} is "request" or "approval". */
    public record AttemptRecorded(String requestId, String operatorId, String action, Outcome outcome, int meters, long at,
                                  String reason) implements Event {
    }

    public record BulkHeld(BulkRequest request, long at) implements Event {
    }

    public record ApprovalRecorded(String requestId, String operatorId, long at) implements Event {
    }

    /** Accepted: its meters are placed in the rate-limited schedule (deterministically, from the seed). */
    public record BulkScheduled(String requestId, CommandKind kind, List<String> meterIds, String requesterId,
                                boolean unilateral, long at) implements Event {
    }

    public record Release(String requestId, String meterId, boolean on, long at) implements JournalSerializable {
    }

    public record SwitchesReleased(long now, List<Release> releases) implements Event {
    }

    // ---- state ----

    public static final class State {
        final List<AttemptRecorded> attempts = new ArrayList<>();
        final Map<String, BulkRequest> held = new LinkedHashMap<>();
        final Map<String, Set<String>> approvers = new HashMap<>();
        final Set<String> requestIds = new HashSet<>();
        final Map<Long, Integer> scheduledPerMinute = new HashMap<>();
        final TreeSet<Release> pending = new TreeSet<>((a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at())
                : a.requestId().equals(b.requestId()) ? a.meterId().compareTo(b.meterId()) : a.requestId().compareTo(b.requestId()));
        final Map<Long, Integer> releasedPerMinute = new TreeMap<>();
        final Map<String, Integer> releasedTo = new TreeMap<>();
        /** Per operator: (time, meters) of the switch-offs it ran without a quorum. */
        final Map<String, Deque<long[]>> unilateral = new HashMap<>();
        long released;
        long now;

        int capacityLeft(long minute, int perMinute) {
            return perMinute - scheduledPerMinute.getOrDefault(minute, 0);
        }

        long unilateralSince(String operator, long from) {
            return unilateral.getOrDefault(operator, new ArrayDeque<>()).stream().filter(e -> e[0] > from).mapToLong(e -> e[1]).sum();
        }
    }

    // ---- behaviour ----

    private final Settings settings;
    private final ActorRef<ShardingEnvelope<MeterAccount.Command>> accounts;
    private final ActorContext<Command> context;
    private long clock = Long.MIN_VALUE;

    private OperatorGateway(Settings settings, ActorRef<ShardingEnvelope<MeterAccount.Command>> accounts, ActorContext<Command> context) {
        super(PersistenceId.ofUniqueId("operator-gateway"));
        this.settings = settings;
        this.accounts = accounts;
        this.context = context;
    }

    public static Behavior<Command> create(Settings settings, ActorRef<ShardingEnvelope<MeterAccount.Command>> accounts) {
        return Behaviors.setup(context -> new OperatorGateway(settings, accounts, context));
    }

    @Override
    public String journalPluginId() {
        return JOURNAL;
    }

    @Override
    public String snapshotPluginId() {
        return SNAPSHOTS;
    }

    @Override
    public State emptyState() {
        return new State();
    }

    private long now(State state) {
        return Math.max(clock, state.now);
    }

    @Override
    public CommandHandler<Command, Event, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Tick.class, this::tick)
                .onCommand(RequestBulk.class, this::request)
                .onCommand(Approve.class, this::approve)
                .onCommand(GetStatus.class, (state, q) -> Effect().reply(q.replyTo(), new Status(List.copyOf(state.attempts),
                        state.released, new TreeMap<>(state.releasedPerMinute), state.pending.size(), List.copyOf(state.held.keySet()),
                        new TreeMap<>(state.releasedTo))))
                .build();
    }

    private Effect<Event, State> tick(State state, Tick t) {
        clock = Math.max(clock, t.now());
        List<Release> due = new ArrayList<>();
        for (Release r : state.pending) {
            if (r.at() > clock) {
                break;
            }
            due.add(r);
        }
        if (due.isEmpty()) {
            return Effect().none();
        }
        return Effect().persist(new SwitchesReleased(clock, due)).thenRun(s -> {
            for (Release r : due) {
                accounts.tell(new ShardingEnvelope<>(r.meterId(), new MeterAccount.IssueSwitch(r.on(), r.at(), r.requestId(),
                        context.getSystem().ignoreRef())));
            }
        });
    }

    private Effect<Event, State> request(State state, RequestBulk c) {
        BulkRequest r = c.request();
        long now = now(state);
        String problem = r == null ? "no request" : requestProblem(state, r);
        if (problem != null) {
            String id = r == null ? "?" : r.requestId();
            String operator = r == null ? "?" : r.operatorId();
            return record(List.of(new AttemptRecorded(id, operator, "request", Outcome.REFUSED, r == null ? 0 : r.meterIds().size(),
                    now, problem)), c.replyTo());
        }
        int meters = r.meterIds().size();
        long already = state.unilateralSince(r.operatorId(), now - settings.unilateralWindow().toMillis());
        if (r.kind() == CommandKind.SWITCH_OFF && (meters > settings.quorumThreshold() || already + meters > settings.quorumThreshold())) {
            String why = meters > settings.quorumThreshold()
                    ? meters + " meters exceed the threshold of " + settings.quorumThreshold()
                    : r.operatorId() + " already switched off " + already + " meters within " + settings.unilateralWindow()
                      + "; alone an operator may switch off " + settings.quorumThreshold();
            return record(List.of(new AttemptRecorded(r.requestId(), r.operatorId(), "request", Outcome.HELD_FOR_QUORUM, meters, now,
                    why + ": needs approval by " + settings.quorum() + " distinct operators"), new BulkHeld(r, now)), c.replyTo());
        }
        return record(List.of(accepted(state, r, r.operatorId(), "request", now),
                new BulkScheduled(r.requestId(), r.kind(), r.meterIds(), r.operatorId(), true, now)), c.replyTo());
    }

    private String requestProblem(State state, BulkRequest r) {
        VerifyingKey key = r.operatorId() == null ? null : settings.operators().get(r.operatorId());
        if (key == null) {
            return "unknown operator '" + r.operatorId() + "'";
        }
        if (!r.verifies(key)) {
            return "the signature does not verify under " + r.operatorId() + "'s key";
        }
        if (r.kind() != CommandKind.SWITCH_OFF && r.kind() != CommandKind.SWITCH_ON) {
            return "the gateway takes bulk SWITCH_OFF and SWITCH_ON, not " + r.kind();
        }
        if (r.meterIds().isEmpty() || new HashSet<>(r.meterIds()).size() != r.meterIds().size()) {
            return "the meter set is empty or names a meter twice";
        }
        if (state.requestIds.contains(r.requestId())) {
            return "request id '" + r.requestId() + "' was used before (a replay?)";
        }
        return null;
    }

    private Effect<Event, State> approve(State state, Approve c) {
        Approval a = c.approval();
        long now = now(state);
        BulkRequest r = a == null ? null : state.held.get(a.requestId());
        VerifyingKey key = a == null || a.operatorId() == null ? null : settings.operators().get(a.operatorId());
        String problem = a == null ? "no approval"
                : key == null ? "unknown operator '" + a.operatorId() + "'"
                : r == null ? "no request '" + a.requestId() + "' waits for approval"
                : state.approvers.get(r.requestId()).contains(a.operatorId())
                        ? a.operatorId() + " already requested or approved '" + r.requestId() + "': a quorum needs distinct operators"
                : !a.approves(r, key) ? "the approval's signature does not verify for this request under " + a.operatorId() + "'s key"
                : null;
        if (problem != null) {
            return record(List.of(new AttemptRecorded(a == null ? "?" : a.requestId(), a == null ? "?" : a.operatorId(), "approval",
                    Outcome.REFUSED, r == null ? 0 : r.meterIds().size(), now, problem)), c.replyTo());
        }
        int approvals = state.approvers.get(r.requestId()).size() + 1;
        ApprovalRecorded approval = new ApprovalRecorded(r.requestId(), a.operatorId(), now);
        if (approvals < settings.quorum()) {
            return record(List.of(new AttemptRecorded(r.requestId(), a.operatorId(), "approval", Outcome.APPROVAL_RECORDED,
                    r.meterIds().size(), now, approvals + " of " + settings.quorum() + " operators"), approval), c.replyTo());
        }
        return record(List.of(accepted(state, r, a.operatorId(), "approval", now), approval,
                new BulkScheduled(r.requestId(), r.kind(), r.meterIds(), r.operatorId(), false, now)), c.replyTo());
    }

    private AttemptRecorded accepted(State state, BulkRequest r, String operator, String action, long now) {
        int meters = r.meterIds().size();
        int capacity = state.capacityLeft(Math.floorDiv(now, MINUTE_MS), settings.switchOffsPerMinute());
        if (meters <= capacity) {
            return new AttemptRecorded(r.requestId(), operator, action, Outcome.EXECUTED, meters, now, r.kind() + " of " + meters + " meters");
        }
        return new AttemptRecorded(r.requestId(), operator, action, Outcome.RATE_LIMITED, meters, now, r.kind() + " of " + meters
                + " meters at most " + settings.switchOffsPerMinute() + " a minute");
    }

    /** Persists the attempt (and what follows from it), then logs it and answers. */
    private Effect<Event, State> record(List<Event> events, ActorRef<AttemptOutcome> replyTo) {
        AttemptRecorded attempt = (AttemptRecorded) events.get(0);
        return Effect().persist(events).thenRun(s -> {
            if (attempt.outcome() == Outcome.REFUSED || attempt.outcome() == Outcome.HELD_FOR_QUORUM) {
                context.getLog().warn("operator {} {} '{}' ({} meters): {} - {}", attempt.operatorId(), attempt.action(),
                        attempt.requestId(), attempt.meters(), attempt.outcome(), attempt.reason());
            } else {
                context.getLog().info("operator {} {} '{}' ({} meters): {} - {}", attempt.operatorId(), attempt.action(),
                        attempt.requestId(), attempt.meters(), attempt.outcome(), attempt.reason());
            }
            if (replyTo != null) {
                replyTo.tell(new AttemptOutcome(attempt.requestId(), attempt.operatorId(), attempt.outcome(), attempt.reason()));
            }
        });
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> {
            apply(state, event);
            return state;
        });
    }

    private void apply(State s, Event event) {
        if (event instanceof AttemptRecorded a) {
            s.attempts.add(a);
            s.now = Math.max(s.now, a.at());
            if (a.action().equals("request") && a.outcome() != Outcome.REFUSED) {
                s.requestIds.add(a.requestId());
            }
        } else if (event instanceof BulkHeld h) {
            s.held.put(h.request().requestId(), h.request());
            s.approvers.put(h.request().requestId(), new LinkedHashSet<>(List.of(h.request().operatorId())));
        } else if (event instanceof ApprovalRecorded a) {
            s.approvers.get(a.requestId()).add(a.operatorId());
        } else if (event instanceof BulkScheduled b) {
            s.held.remove(b.requestId());
            schedule(s, b);
        } else if (event instanceof SwitchesReleased r) {
            s.now = Math.max(s.now, r.now());
            for (Release release : r.releases()) {
                s.pending.remove(release);
                s.released++;
                s.releasedPerMinute.merge(Math.floorDiv(release.at(), MINUTE_MS), 1, Integer::sum);
                s.releasedTo.merge(release.meterId(), 1, Integer::sum);
            }
        }
    }

    /**
     * Fills minutes from the current one on, never past the rate limit, each meter at a random offset in its
     * minute (never before the request). Only the seed, the request id and earlier events decide it, so a
     * replay of the journal rebuilds the same schedule.
     */
    private void schedule(State s, BulkScheduled b) {
        SplittableRandom random = new SplittableRandom(settings.seed() * 31 + b.requestId().hashCode());
        int perMinute = settings.switchOffsPerMinute();
        long minute = Math.floorDiv(b.at(), MINUTE_MS);
        for (String meterId : b.meterIds()) {
            while (s.capacityLeft(minute, perMinute) <= 0) {
                minute++;
            }
            long from = Math.max(b.at(), minute * MINUTE_MS);
            long at = from + random.nextLong((minute + 1) * MINUTE_MS - from);
            s.scheduledPerMinute.merge(minute, 1, Integer::sum);
            s.pending.add(new Release(b.requestId(), meterId, b.kind() == CommandKind.SWITCH_ON, at));
        }
        if (b.unilateral() && b.kind() == CommandKind.SWITCH_OFF) {
            s.unilateral.computeIfAbsent(b.requesterId(), k -> new ArrayDeque<>()).add(new long[] {b.at(), b.meterIds().size()});
        }
    }
}
