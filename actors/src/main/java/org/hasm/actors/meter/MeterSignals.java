package org.hasm.actors.meter;

import org.hasm.actors.link.WireMessage;
import org.hasm.policy.MessageType;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * The messages that pass between the meter's parts and across its interfaces. Each record's policy
 * type is fixed by its class. Messages only one part receives are here too, so the whole vocabulary of
 * the meter can be read in one place against the policy file.
 */
public final class MeterSignals {
    private MeterSignals() {
    }

    // --- The physical world ---------------------------------------------------------------------

    /**
     * The oscillator's time, epoch milliseconds of simulated time. {@code closing}: the run stops cleanly here,
     * and the meter anchors what it has not anchored yet (docs/log-chain.md).
     */
    public record TimeSignal(long now, boolean closing) implements PolicyMessage {
        public TimeSignal(long now) {
            this(now, false);
        }

        public MessageType messageType() {
            return MessageType.TimeSignal;
        }
    }

    /**
     * Energy that flowed through the meter, measured at physical time {@code at}. The time lets Metrology
     * put it in the right interval even when it arrives before the Clock's tick that closes the previous one.
     */
    public record EnergySample(long at, long importWh, long exportWh) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.EnergySample;
        }
    }

    /** The consumer presses the Display's button. */
    public record ButtonPress() implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.ButtonPress;
        }
    }

    // --- Inside the meter -----------------------------------------------------------------------

    /** The Clock's time for the parts; {@code closing} as in {@link TimeSignal}, passed on in the same flow. */
    public record Tick(long now, boolean closing) implements PolicyMessage {
        public Tick(long now) {
            this(now, false);
        }

        public MessageType messageType() {
            return MessageType.Tick;
        }
    }

    public record IntervalReading(long intervalStart, long intervalEnd, long importWh, long exportWh) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.IntervalReading;
        }
    }

    public record ReadingReport(IntervalReading reading) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.ReadingReport;
        }
    }

    public record ReadingForAggregation(long intervalStart, long importWh) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.ReadingForAggregation;
        }
    }

    public record IntervalCost(long intervalStart, long milliCents) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.IntervalCost;
        }
    }

    public record ConsumptionFeedback(long intervalStart, long importWh, long exportWh) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.ConsumptionFeedback;
        }
    }

    public record TariffFeedback(Tariff tariff) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.TariffFeedback;
        }
    }

    public record CreditFeedback(long creditMilliCents, boolean prepaid) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.CreditFeedback;
        }
    }

    /** A load-balancing switch of one appliance, one way out through the HAN diode. */
    public record ApplianceSwitch(String appliance, boolean on, long at) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.ApplianceSwitch;
        }
    }

    public record ApplianceRejected(String appliance, boolean on, long at, String reason) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.ApplianceRejected;
        }
    }

    public record SwitchStatus(Supply supply) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.SwitchStatus;
        }
    }

    public record LocalConfirmation() implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.LocalConfirmation;
        }
    }

    public record ZeroCredit(long at) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.ZeroCredit;
        }
    }

    public record CreditRestored(long at) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.CreditRestored;
        }
    }

    /** A segment's chain head is due to be signed and sent to the central system (docs/log-chain.md). */
    public record LogAnchorRequest(org.hasm.policy.Part segment, long seq, byte[] head, long at) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.LogAnchor;
        }

        /** The anchor, signed with the log key of the module that keeps the segment. */
        public org.hasm.actors.crypto.SignedLogAnchor signedBy(org.hasm.actors.crypto.SigningKeys logKey, String meterId) {
            return org.hasm.actors.crypto.SignedLogAnchor.sign(logKey, meterId,
                    org.hasm.persistence.Segment.journalName(segment), seq, at, head);
        }
    }

    /** Drive the breaker: only ON or OFF; ARMED is OffSwitchSecurity's state, not the breaker's. */
    public record Actuate(boolean closed) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.Actuate;
        }
    }

    // --- Verified central-system commands, from CsSecurity --------------------------------------

    public record PrepaidModeChange(boolean prepaid, long at) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.PrepaidModeChange;
        }
    }

    public record TopUp(long milliCents, long tokenId, long at) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.TopUp;
        }
    }

    public record TariffUpdate(Tariff tariff, long at) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.TariffUpdate;
        }
    }

    public record ApplianceCommand(String appliance, boolean on, long at) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.ApplianceCommand;
        }
    }

    /** The central system acknowledged every reading whose interval ended at or before {@code until}. */
    public record ReadingsAcknowledged(long until) implements PolicyMessage {
        @Override
        public MessageType messageType() {
            return MessageType.ReadingsAcknowledged;
        }
    }

    public record ClockSync(long correctedNow) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.ClockSync;
        }
    }

    // --- Frames on the external interfaces (opaque bytes; only security modules look inside) ----
    // The six that pass between Communications and the DataConcentrator are WireMessages: in a cluster the
    // meters and their concentrator run on different nodes (docs/cluster.md). The kernel's Envelope does not
    // cross; these payloads do.

    /** A frame from the central system, relayed by the concentrator. */
    public record FrameFromCentralSystem(byte[] bytes) implements PolicyMessage, WireMessage {
        public MessageType messageType() {
            return MessageType.CsFrame;
        }
    }

    /** A frame sealed for the central system. */
    public record FrameToCentralSystem(byte[] bytes) implements PolicyMessage, WireMessage {
        public MessageType messageType() {
            return MessageType.CsFrame;
        }
    }

    public record SwitchCommandFrame(byte[] bytes) implements PolicyMessage, WireMessage {
        public MessageType messageType() {
            return MessageType.SwitchCommandFrame;
        }
    }

    public record SwitchReport(byte[] bytes) implements PolicyMessage, WireMessage {
        public MessageType messageType() {
            return MessageType.SwitchReport;
        }
    }

    /** The concentrator asks for recovery shares for {@code round} because {@code missingMeters} sent nothing. */
    public record AggregationRound(long round, java.util.Set<Integer> missingMeters) implements PolicyMessage, WireMessage {
        public AggregationRound {
            missingMeters = java.util.Set.copyOf(missingMeters);
        }


        public MessageType messageType() {
            return MessageType.AggregationRound;
        }
    }

    /** This meter's share of a round's aggregate; {@code recovery} marks a share that stands in for missing meters. */
    public record AggregationShare(String meterId, int meterIndex, boolean recovery, org.hasm.actors.crypto.Share share)
            implements PolicyMessage, WireMessage {
        public MessageType messageType() {
            return MessageType.AggregationShare;
        }
    }

    public record TopUpTokenFrame(byte[] bytes) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.TopUpToken;
        }
    }

    public record TechnicianRequest(byte[] credential, String request) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.TechnicianRequest;
        }
    }

    public record TechnicianResponse(String technicianId, String answer) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.TechnicianResponse;
        }
    }

    public record GasReading(long at, long litres) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.GasReading;
        }
    }

    public record GenerationReading(long at, long wattHours) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.GenerationReading;
        }
    }

    /** The kernel dropped a message; CsSecurity writes it to the SecurityLog. */
    public record PolicyViolationReport(org.hasm.policy.kernel.Violation violation) implements PolicyMessage {
        public MessageType messageType() {
            return MessageType.PolicyViolation;
        }
    }
}
