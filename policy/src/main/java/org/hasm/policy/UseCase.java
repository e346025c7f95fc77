package org.hasm.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The paper's use cases (I-C) as the applications of II-B, each with the flows its path takes through
 * the meter, from the party that starts it to the party or part that completes it. The safety rules
 * P1–P10 say what a policy must not allow; these say what it must still allow for the meter to do its
 * job. A path includes what the modules on it need to start (reading their value segment) and the
 * write-ahead of its log entries with their answers (P11): without them the application waits forever.
 */
public enum UseCase {
    U1("billing: consumption data to the central system",
            Paths.TIME, Paths.METROLOGY, Paths.COMPUTATIONS_START, Paths.METROLOGY_LOG, Paths.CS_SECURITY_START,
            Paths.TO_CENTRAL_SYSTEM,
            List.of("Computations -> CsSecurity : ReadingReport, LogAnchor",
                    "DataConcentrator -> Communications : CsFrame",
                    "Communications -> CsSecurity : CsFrame",
                    "CsSecurity -> Computations : ReadingsAcknowledged")),
    U2("billing: switching to and from prepaid mode",
            Paths.TIME, Paths.CS_SECURITY_START, Paths.CENTRAL_SYSTEM_COMMAND, Paths.CREDIT_BALANCE_START,
            List.of("CsSecurity -> CreditBalance : PrepaidModeChange",
                    "CreditBalance -> CsSecurity : LogAnchor")),
    U3("billing: billing in prepaid mode",
            Paths.TIME, Paths.METROLOGY, Paths.COMPUTATIONS_START, Paths.METROLOGY_LOG, Paths.CREDIT_BALANCE_START,
            List.of("Computations -> CreditBalance : IntervalCost",
                    "CreditBalance -> CsSecurity : LogAnchor")),
    U4("billing: updating the tariffs",
            Paths.TIME, Paths.CS_SECURITY_START, Paths.CENTRAL_SYSTEM_COMMAND, Paths.COMPUTATIONS_START,
            List.of("CsSecurity -> Computations : TariffUpdate",
                    "Computations -> Tariffs : StoreTariffs",
                    "Tariffs -> Computations : Persisted")),
    U5("billing: topping-up credit",
            Paths.TIME, Paths.CS_SECURITY_START, Paths.SECURITY_LOG, Paths.CREDIT_BALANCE_START,
            List.of("TopUpGateway -> Communications : TopUpToken",
                    "Communications -> CsSecurity : TopUpToken",
                    "CsSecurity -> CreditBalance : TopUp")),
    U6("billing: fraud detection (aggregates for the data concentrator)",
            Paths.TIME, Paths.METROLOGY, Paths.COMPUTATIONS_START, Paths.METROLOGY_LOG,
            List.of("Computations -> DcSecurity : ReadingForAggregation",
                    "DcSecurity -> Communications : AggregationShare",
                    "Communications -> DataConcentrator : AggregationShare",
                    "DataConcentrator -> Communications : AggregationRound",
                    "Communications -> DcSecurity : AggregationRound")),
    U7("off-switch: switch-off when the prepaid credit is exhausted",
            Paths.TIME, Paths.CREDIT_BALANCE_START, Paths.OFF_SWITCH_SECURITY,
            List.of("CreditBalance -> OffSwitchSecurity : ZeroCredit")),
    U8("off-switch: remote switch-off",
            Paths.TIME, Paths.OFF_SWITCH_SECURITY, Paths.SWITCH_COMMAND),
    U9("off-switch: local switch-on after a top-up",
            Paths.TIME, Paths.CREDIT_BALANCE_START, Paths.OFF_SWITCH_SECURITY, Paths.LOCAL_CONFIRMATION,
            List.of("CreditBalance -> OffSwitchSecurity : CreditRestored")),
    U10("off-switch: remote switch-on with local confirmation",
            Paths.TIME, Paths.OFF_SWITCH_SECURITY, Paths.SWITCH_COMMAND, Paths.LOCAL_CONFIRMATION),
    U11("load balancing: switching the consumer's appliances on or off",
            Paths.TIME, Paths.CS_SECURITY_START, Paths.CENTRAL_SYSTEM_COMMAND, Paths.COMPUTATIONS_START,
            List.of("CsSecurity -> Computations : ApplianceCommand",
                    "Computations -> CsSecurity : ApplianceSwitch, ApplianceRejected",
                    "CsSecurity -> Communications : ApplianceSwitch",
                    "Communications -> HanGateway : ApplianceSwitch")),
    U12("consumer feedback: consumption data to the HAN gateway",
            Paths.TIME, Paths.METROLOGY, Paths.COMPUTATIONS_START, Paths.METROLOGY_LOG, Paths.CS_SECURITY_START,
            List.of("Computations -> CsSecurity : ConsumptionFeedback",
                    "Computations -> Display : ConsumptionFeedback",
                    "CsSecurity -> Communications : ConsumptionFeedback",
                    "Communications -> HanGateway : ConsumptionFeedback")),
    U13("consumer feedback: tariffs to the HAN gateway",
            Paths.TIME, Paths.CS_SECURITY_START, Paths.CENTRAL_SYSTEM_COMMAND, Paths.COMPUTATIONS_START,
            List.of("CsSecurity -> Computations : TariffUpdate",
                    "Computations -> Tariffs : StoreTariffs",
                    "Tariffs -> Computations : Persisted",
                    "Computations -> CsSecurity : TariffFeedback",
                    "Computations -> Display : TariffFeedback",
                    "CsSecurity -> Communications : TariffFeedback",
                    "Communications -> HanGateway : TariffFeedback")),
    U14("consumer feedback: credit balance to the HAN gateway",
            Paths.TIME, Paths.CS_SECURITY_START, Paths.CREDIT_BALANCE_START,
            List.of("CreditBalance -> CsSecurity : CreditFeedback",
                    "CreditBalance -> Display : CreditFeedback",
                    "CsSecurity -> Communications : CreditFeedback",
                    "Communications -> HanGateway : CreditFeedback")),
    U15("interfaces: other-utility meter readings to the central system",
            Paths.TIME, Paths.CS_SECURITY_START, Paths.TO_CENTRAL_SYSTEM,
            List.of("OtherUtilityMeter -> Communications : GasReading",
                    "Communications -> CsSecurity : GasReading")),
    U16("interfaces: local generation readings to the central system",
            Paths.TIME, Paths.CS_SECURITY_START, Paths.TO_CENTRAL_SYSTEM,
            List.of("LocalGeneration -> Communications : GenerationReading",
                    "Communications -> CsSecurity : GenerationReading")),
    U17("interfaces: the local maintenance technician",
            Paths.TIME, Paths.CS_SECURITY_START, Paths.SECURITY_LOG,
            List.of("MaintenanceTechnician -> Communications : TechnicianRequest",
                    "Communications -> CsSecurity : TechnicianRequest",
                    "CsSecurity -> Communications : TechnicianResponse",
                    "Communications -> MaintenanceTechnician : TechnicianResponse")),
    U18("interfaces: the central system corrects the clock",
            Paths.TIME, Paths.CS_SECURITY_START, Paths.CENTRAL_SYSTEM_COMMAND,
            List.of("CsSecurity -> Clock : ClockSync",
                    "Clock -> Display : Tick")); // the consumer reads the corrected time on the Display

    private final String title;
    private final Set<Flow> path;

    @SafeVarargs
    UseCase(String title, List<String>... fragments) {
        this.title = title;
        Set<Flow> flows = new LinkedHashSet<>();
        for (List<String> fragment : fragments) {
            for (String line : fragment) {
                flows.addAll(Paths.parse(line));
            }
        }
        this.path = Set.copyOf(flows);
    }

    /** The application's name in the paper's words, prefixed by its use case. */
    public String title() {
        return title;
    }

    /** Every flow the application takes; a policy without one of them cannot carry it out. */
    public Set<Flow> path() {
        return path;
    }

    /** The use cases whose path takes {@code flow}, in catalogue order. */
    public static List<UseCase> taking(Flow flow) {
        List<UseCase> taking = new ArrayList<>();
        for (UseCase u : values()) {
            if (u.path.contains(flow)) {
                taking.add(u);
            }
        }
        return taking;
    }

    /** Fragments several applications share, in the policy file's notation. */
    private static final class Paths {
        /** The meter's time: every module on a path stamps its log entries with it. */
        static final List<String> TIME = List.of("Environment -> Clock : TimeSignal");
        static final List<String> METROLOGY = List.of(
                "Clock -> Metrology : Tick",
                "Environment -> Metrology : EnergySample",
                "Metrology -> Computations : IntervalReading");
        static final List<String> COMPUTATIONS_START = List.of(
                "Clock -> Computations : Tick",
                "Computations -> Tariffs : ReadSegment",
                "Tariffs -> Computations : SegmentContents");
        static final List<String> METROLOGY_LOG = List.of(
                "Computations -> MetrologyLog : AppendEntry",
                "MetrologyLog -> Computations : Persisted");
        static final List<String> CS_SECURITY_START = List.of(
                "Clock -> CsSecurity : Tick",
                "CsSecurity -> OperationalParameters : StoreParameters, ReadSegment",
                "OperationalParameters -> CsSecurity : Persisted, SegmentContents");
        static final List<String> SECURITY_LOG = List.of(
                "CsSecurity -> SecurityLog : AppendEntry",
                "SecurityLog -> CsSecurity : Persisted");
        static final List<String> TO_CENTRAL_SYSTEM = List.of(
                "CsSecurity -> Communications : CsFrame",
                "Communications -> DataConcentrator : CsFrame");
        /** A signed command from the central system, verified and logged by CsSecurity before it acts. */
        static final List<String> CENTRAL_SYSTEM_COMMAND = List.of(
                "DataConcentrator -> Communications : CsFrame",
                "Communications -> CsSecurity : CsFrame",
                "CsSecurity -> SecurityLog : AppendEntry",
                "SecurityLog -> CsSecurity : Persisted");
        static final List<String> CREDIT_BALANCE_START = List.of(
                "Clock -> CreditBalance : Tick",
                "CreditBalance -> CreditStore : StoreCredit, ReadSegment",
                "CreditStore -> CreditBalance : Persisted, SegmentContents");
        /** OffSwitchSecurity starts from its log, logs before it acts (P11), drives the breaker, shows and reports it. */
        static final List<String> OFF_SWITCH_SECURITY = List.of(
                "Clock -> OffSwitchSecurity : Tick",
                "OffSwitchSecurity -> OffSwitchLog : AppendEntry, ReadSegment",
                "OffSwitchLog -> OffSwitchSecurity : Persisted, SegmentContents",
                "OffSwitchSecurity -> OffSwitch : Actuate",
                "OffSwitchSecurity -> Display : SwitchStatus",
                "OffSwitchSecurity -> Communications : SwitchReport",
                "Communications -> DataConcentrator : SwitchReport");
        static final List<String> SWITCH_COMMAND = List.of(
                "DataConcentrator -> Communications : SwitchCommandFrame",
                "Communications -> OffSwitchSecurity : SwitchCommandFrame");
        /** The consumer presses the Display's button (P12). */
        static final List<String> LOCAL_CONFIRMATION = List.of(
                "Environment -> Display : ButtonPress",
                "Display -> OffSwitchSecurity : LocalConfirmation");

        private Paths() {
        }

        /** {@code "Sender -> Receiver : Type, Type"}: one flow per type. */
        static List<Flow> parse(String line) {
            String[] ends = line.split("->|:");
            Part sender = Part.valueOf(ends[0].trim());
            Part receiver = Part.valueOf(ends[1].trim());
            List<Flow> flows = new ArrayList<>();
            for (String type : ends[2].split(",")) {
                flows.add(new Flow(sender, receiver, MessageType.valueOf(type.trim())));
            }
            return flows;
        }
    }
}
