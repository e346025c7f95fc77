package org.hasm.actors.meter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import org.hasm.policy.Flow;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.UseCase;

/**
 * The flows one part of a standard meter needs the policy to allow: those it sends on, and the answers
 * of its segment it waits for. Each part declares its own next to its behaviour; the kernel refuses a
 * policy that lacks one before any meter is assembled, because a part without a channel it needs stops
 * (or waits forever for an answer that cannot come) and the run would hang instead of failing.
 */
public record Needs(Part part, List<Flow> flows) {
    /** Policies already found to give every part what it needs: a fleet's meters share one, checked once. */
    private static final Set<FlowPolicy> SUFFICIENT = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    public Needs {
        flows = List.copyOf(flows);
    }

    static Needs of(Part part) {
        return new Needs(part, List.of());
    }

    /** This part sends {@code types} to {@code receiver}. */
    Needs sends(Part receiver, MessageType... types) {
        return with(part, receiver, types);
    }

    /** This part waits for {@code types} from {@code sender}: its segment's answers. */
    Needs answeredBy(Part sender, MessageType... types) {
        return with(sender, part, types);
    }

    private Needs with(Part sender, Part receiver, MessageType... types) {
        List<Flow> more = new ArrayList<>(flows);
        for (MessageType t : types) {
            more.add(new Flow(sender, receiver, t));
        }
        return new Needs(part, more);
    }

    /** Every part of a standard meter with its needs, in catalogue order. */
    public static List<Needs> ofStandardMeter() {
        List<Needs> all = new ArrayList<>();
        for (Part p : Part.values()) {
            if (p.kind() == Part.Kind.COMPONENT || p.kind() == Part.Kind.MODULE) {
                all.add(StandardMeterParts.needs(p));
            }
        }
        return all;
    }

    /** The first flow some part needs and {@code policy} lacks, with the part, or empty if it has them all. */
    public static Optional<Lacking> lackedBy(FlowPolicy policy) {
        for (Needs n : ofStandardMeter()) {
            for (Flow f : n.flows()) {
                if (!policy.allows(f.sender(), f.receiver(), f.type())) {
                    return Optional.of(new Lacking(n.part(), f));
                }
            }
        }
        return Optional.empty();
    }

    /** Refuses, before any meter starts, a policy without a flow a part needs; once per policy. */
    public static void requireAllowedBy(FlowPolicy policy) {
        if (SUFFICIENT.contains(policy)) {
            return;
        }
        Optional<Lacking> lacking = lackedBy(policy);
        if (lacking.isPresent()) {
            throw new IncompletePolicyException(lacking.get().describe());
        }
        SUFFICIENT.add(policy);
    }

    /** A flow {@code part} needs that the policy lacks. */
    public record Lacking(Part part, Flow flow) {
        /** e.g. "the policy lacks A -> B : T, which A needs (use case U8, off-switch: remote switch-off)" */
        public String describe() {
            List<UseCase> useCases = UseCase.taking(flow);
            String why = useCases.isEmpty() ? ""
                    : " (use case " + useCases.get(0) + ", " + useCases.get(0).title()
                    + (useCases.size() == 1 ? "" : "; also " + String.join(", ",
                            useCases.subList(1, useCases.size()).stream().map(UseCase::name).toList())) + ")";
            return "the policy lacks " + flow + ", which " + part + " needs" + why;
        }
    }

    /** A policy that cannot run a meter: every part it lacks a flow for would stop or wait forever. */
    public static final class IncompletePolicyException extends IllegalArgumentException {
        IncompletePolicyException(String message) {
            super(message);
        }
    }
}
