package org.hasm.policy;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The parts catalogue of the paper's Fig. 1 (DESIGN section 3): the meter's four physical components,
 * its six software modules on two processors, its six memory segments, the seven external parties,
 * and the physical environment the meter senses.
 */
public enum Part {
    // Physical components
    Clock(Kind.COMPONENT, Processor.NONE, null),
    Metrology(Kind.COMPONENT, Processor.NONE, null),
    Display(Kind.COMPONENT, Processor.NONE, null),
    OffSwitch(Kind.COMPONENT, Processor.NONE, null),

    // Software modules: five on the main processor P1, the off-switch security on its own processor P2
    Communications(Kind.MODULE, Processor.P1, null),
    Computations(Kind.MODULE, Processor.P1, null),
    CreditBalance(Kind.MODULE, Processor.P1, null),
    CsSecurity(Kind.MODULE, Processor.P1, null),
    DcSecurity(Kind.MODULE, Processor.P1, null),
    OffSwitchSecurity(Kind.MODULE, Processor.P2, null),

    // Memory segments, each written by exactly one owner module
    MetrologyLog(Kind.SEGMENT, Processor.NONE, Computations),
    SecurityLog(Kind.SEGMENT, Processor.NONE, CsSecurity),
    OffSwitchLog(Kind.SEGMENT, Processor.NONE, OffSwitchSecurity),
    Tariffs(Kind.SEGMENT, Processor.NONE, Computations),
    CreditStore(Kind.SEGMENT, Processor.NONE, CreditBalance),
    OperationalParameters(Kind.SEGMENT, Processor.NONE, CsSecurity),

    // External parties
    DataConcentrator(Kind.EXTERNAL, Processor.NONE, null),
    CentralSystem(Kind.EXTERNAL, Processor.NONE, null),
    HanGateway(Kind.EXTERNAL, Processor.NONE, null),
    TopUpGateway(Kind.EXTERNAL, Processor.NONE, null),
    MaintenanceTechnician(Kind.EXTERNAL, Processor.NONE, null),
    OtherUtilityMeter(Kind.EXTERNAL, Processor.NONE, null),
    LocalGeneration(Kind.EXTERNAL, Processor.NONE, null),

    /** Physics and the consumer's finger: time, energy flowing, the Display button. Not a party that can be wired to by software. */
    Environment(Kind.ENVIRONMENT, Processor.NONE, null);

    public enum Kind { COMPONENT, MODULE, SEGMENT, EXTERNAL, ENVIRONMENT }

    /** Where a software module runs; P1 and P2 map to separate dispatchers so a flood on P1 cannot starve P2. */
    public enum Processor { P1, P2, NONE }

    private final Kind kind;
    private final Processor processor;
    private final Part owner;

    Part(Kind kind, Processor processor, Part owner) {
        this.kind = kind;
        this.processor = processor;
        this.owner = owner;
    }

    public Kind kind() {
        return kind;
    }

    public Processor processor() {
        return processor;
    }

    /** The one module allowed to write this segment; empty for anything that is not a segment. */
    public Optional<Part> owner() {
        return Optional.ofNullable(owner);
    }

    public boolean isInternal() {
        return kind == Kind.COMPONENT || kind == Kind.MODULE || kind == Kind.SEGMENT;
    }

    public boolean isExternal() {
        return kind == Kind.EXTERNAL;
    }

    public boolean isSecurityModule() {
        return this == CsSecurity || this == DcSecurity || this == OffSwitchSecurity;
    }

    public boolean isLog() {
        return this == MetrologyLog || this == SecurityLog || this == OffSwitchLog;
    }

    public static Set<Part> ofKind(Kind kind) {
        Set<Part> parts = EnumSet.noneOf(Part.class);
        for (Part p : values()) {
            if (p.kind == kind) {
                parts.add(p);
            }
        }
        return parts;
    }

    /** Case-insensitive lookup, for policy files written by hand. */
    public static Optional<Part> named(String name) {
        return Arrays.stream(values()).filter(p -> p.name().equalsIgnoreCase(name.trim())).findFirst();
    }

    public String describe() {
        String where = processor == Processor.NONE ? "" : " on " + processor;
        return name() + " (" + kind.name().toLowerCase(Locale.ROOT) + where + ")";
    }
}
