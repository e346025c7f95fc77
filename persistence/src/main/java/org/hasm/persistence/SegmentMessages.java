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

    /** Append one entry to a log segment (MetrologyLog, SecurityLog, OffSwitchLog). */
    public record AppendEntry(long time, String kind, String detail, long correlation) implements SegmentCommand {
        @Override
        public MessageType messageType() {
            return MessageType.AppendEntry;
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
