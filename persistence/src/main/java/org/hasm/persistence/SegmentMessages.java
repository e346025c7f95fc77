package org.hasm.persistence;

import java.util.Map;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * What owners send to their memory segments and what segments answer. The records carry a
 * correlation number so an owner can act on a command only after its entry is durable (P11).
 */
public final class SegmentMessages {
    private SegmentMessages() {
    }

    /** Anything a segment receives. */
    public interface SegmentCommand extends PolicyMessage {
    }

    /** Whether an entry may be left out when its segment is at its {@link SegmentQuota}. */
    public enum Retention {
        /** Accepted commands, actuations, readings, summaries of folded refusals: always written. */
        KEEP,
        /** Refused attempts: counted instead of written once the segment is full. */
        BOUNDED
    }

    /**
     * Append one entry to a log segment (MetrologyLog, SecurityLog, OffSwitchLog). With a {@code key}, the
     * entry also sets that key of the segment's values to {@code detail}, so an owner keeps the state it
     * must read back after a restart in its own log, next to the events that changed it.
     */
    public record AppendEntry(long time, String kind, String detail, long correlation, Retention retention, String key)
            implements SegmentCommand {
        /** An entry that is always kept. */
        public AppendEntry(long time, String kind, String detail, long correlation) {
            this(time, kind, detail, correlation, Retention.KEEP, "");
        }

        public AppendEntry(long time, String kind, String detail, long correlation, Retention retention) {
            this(time, kind, detail, correlation, retention, "");
        }

        @Override
        public MessageType messageType() {
            return MessageType.AppendEntry;
        }
    }

    /**
     * MetrologyLog only: the central system acknowledged every reading up to entry {@code upToSeq}. The
     * segment records it ({@code acknowledged}) and, when it needs room for its quota, releases the
     * acknowledged entries up to its newest snapshot before that point ({@code released}); unacknowledged
     * readings are never released.
     */
    public record RecordAcknowledgement(long time, long upToSeq, long correlation) implements SegmentCommand {
        @Override
        public MessageType messageType() {
            return MessageType.AppendEntry; // a write to the log, on the owner's AppendEntry edge
        }
    }

    /** Set one value of a value segment; which segment decides the message type, so each has its own record. */
    public record StoreTariffs(long time, String key, String value, long correlation) implements SegmentCommand {
        @Override
        public MessageType messageType() {
            return MessageType.StoreTariffs;
        }
    }

    public record StoreCredit(long time, String key, String value, long correlation) implements SegmentCommand {
        @Override
        public MessageType messageType() {
            return MessageType.StoreCredit;
        }
    }

    public record StoreParameters(long time, String key, String value, long correlation) implements SegmentCommand {
        @Override
        public MessageType messageType() {
            return MessageType.StoreParameters;
        }
    }

    /** Ask for the segment's current contents; answered with {@link SegmentContents}. */
    public record ReadSegment(long correlation) implements SegmentCommand {
        @Override
        public MessageType messageType() {
            return MessageType.ReadSegment;
        }
    }

    /**
     * The kernel gives a segment's port the channel to itself, so that its journal child's "batch written"
     * notices reach it through the guard like everything else.
     */
    public record PortWiring(java.util.function.Consumer<PolicyMessage> self) implements SegmentCommand {
        @Override
        public MessageType messageType() {
            return MessageType.KernelWiring;
        }
    }

    /** The entry with this correlation is in the journal as entry {@code sequenceNr}, whose hash is {@code head}. */
    public record Persisted(Part segment, long sequenceNr, long correlation, byte[] head) implements PolicyMessage {
        @Override
        public MessageType messageType() {
            return MessageType.Persisted;
        }
    }

    /**
     * The bounded entry with this correlation was not written because the segment is at its quota; it was
     * counted, and the count lands in the segment as a {@code quota-suppressed} summary entry.
     */
    public record NotStored(Part segment, long correlation) implements PolicyMessage {
        @Override
        public MessageType messageType() {
            return MessageType.Persisted; // the segment's answer to a write, on the same edge as Persisted
        }
    }

    /** The values of a value segment and the number of entries of a log segment. */
    public record SegmentContents(Part segment, long entries, Map<String, String> values, long correlation)
            implements PolicyMessage {
        public SegmentContents {
            values = Map.copyOf(values);
        }

        @Override
        public MessageType messageType() {
            return MessageType.SegmentContents;
        }
    }
}
