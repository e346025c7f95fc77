package org.hasm.policy;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every kind of message a part of the meter may send or receive. The policy file names these; a
 * message record declares its type, and the guard checks (sender, receiver, type) against the policy.
 */
public enum MessageType {
    // Physical stimuli from the Environment
    TimeSignal("oscillator time that drives the Clock"),
    EnergySample("energy flowing through the meter, sensed by Metrology"),
    ButtonPress("the consumer presses the Display button"),

    // Internal data
    Tick("the Clock's current time"),
    IntervalReading("energy imported/exported in one metering interval"),
    ReadingReport("a reading to be sealed for the central system"),
    ReadingForAggregation("a reading to be turned into an aggregation share for the concentrator"),
    IntervalCost("the cost of one interval under the tariffs in force"),
    ConsumptionFeedback("consumption for the consumer", Flag.HAN),
    TariffFeedback("tariffs for the consumer", Flag.HAN),
    CreditFeedback("prepaid credit for the consumer", Flag.HAN),
    ApplianceSwitch("a load-balancing appliance switch command, one way to the HAN", Flag.HAN),
    ApplianceRejected("an appliance command refused by the reasonableness check (P13)"),
    SwitchStatus("the supply state (OFF, ARMED, ON) shown on the Display"),
    LocalConfirmation("the consumer confirmed reconnection on the Display button"),
    ZeroCredit("prepaid credit is exhausted: request to switch off"),
    CreditRestored("credit is positive again: local switch-on allowed after confirmation"),
    Actuate("drive the breaker"),
    LogAnchor("a segment's chain head, to be signed and sent to the central system"),

    // Verified commands from the central system, forwarded by CsSecurity
    PrepaidModeChange("switch to or from prepaid mode"),
    TopUp("a verified top-up amount"),
    TariffUpdate("verified new tariffs, including time-of-use"),
    ApplianceCommand("a verified load-balancing command, still to be checked for reasonableness"),
    ClockSync("a verified, bounded clock correction"),
    ReadingsAcknowledged("the central system acknowledged the readings up to a time; they may be released"),

    // Frames on the external interfaces
    CsFrame("an end-to-end protected frame between meter and central system"),
    SwitchCommandFrame("a signed remote switch command for OffSwitchSecurity"),
    SwitchReport("OffSwitchSecurity's authenticated report of a switch command or actuation"),
    AggregationRound("the concentrator's aggregation round parameters"),
    AggregationShare("a privacy-preserving share of a reading for the concentrator"),
    TopUpToken("a meter-specific single-use top-up token"),
    TechnicianRequest("a maintenance technician's request with a signed credential"),
    TechnicianResponse("the meter's answer to an authorised technician"),
    GasReading("a reading from the other-utility (gas) meter"),
    GenerationReading("a reading from the local generation (PV) inverter"),

    // Memory segment access
    AppendEntry("append an entry to a log segment", Flag.WRITE),
    StoreTariffs("write the Tariffs segment", Flag.WRITE),
    StoreCredit("write the CreditStore segment", Flag.WRITE),
    StoreParameters("write the OperationalParameters segment", Flag.WRITE),
    ReadSegment("read a segment"),
    SegmentContents("a segment's contents, answered to its owner"),
    Persisted("a segment confirms a write is durable"),

    // Kernel to a part itself: never a flow between parts, so never in a policy file
    KernelWiring("the kernel hands a part the channels of its allowed edges", Flag.KERNEL),
    PolicyViolation("the kernel reports a dropped message to the part that keeps the SecurityLog", Flag.KERNEL);

    /** Properties the verifier needs to know about a type. */
    public enum Flag { HAN, WRITE, KERNEL }

    private final String description;
    private final Flag flag;

    MessageType(String description) {
        this(description, null);
    }

    MessageType(String description, Flag flag) {
        this.description = description;
        this.flag = flag;
    }

    public String description() {
        return description;
    }

    /** May cross the one-way HAN interface (P7): consumption, tariffs, credit, appliance switching. */
    public boolean allowedToHan() {
        return flag == Flag.HAN;
    }

    /** Changes a memory segment (P8). */
    public boolean writesSegment() {
        return flag == Flag.WRITE;
    }

    /** Sent only by the kernel to a part itself; a policy file may not mention it. */
    public boolean kernelOnly() {
        return flag == Flag.KERNEL;
    }

    public static Optional<MessageType> named(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equalsIgnoreCase(name.trim())).findFirst();
    }
}
