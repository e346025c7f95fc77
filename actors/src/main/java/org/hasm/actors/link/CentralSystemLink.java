package org.hasm.actors.link;

import java.math.BigInteger;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What passes between a {@code DataConcentrator} and the central system. Frames are the meters' sealed
 * bytes, opaque to the concentrator (P14): the central system opens them and notices any change.
 *
 * <p>Upstream frames flow with credits: the concentrator has at most its window of {@link DeliverFrame}s
 * unconfirmed, and the central system confirms each with {@link FrameDelivered} once it has taken it over,
 * so a slow central system slows the concentrator's intake and nothing is lost on the way.
 */
public final class CentralSystemLink {
    private CentralSystemLink() {
    }

    /** One meter's frame (a sealed CS frame or switch report), in the order the concentrator received them. */
    public record DeliverFrame(long deliveryId, String meterId, byte[] frame, ActorRef<FrameDelivered> replyTo)
            implements WireMessage {
        public DeliverFrame {
            Objects.requireNonNull(meterId, "meterId");
            Objects.requireNonNull(frame, "frame");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** The central system has taken over delivery {@code deliveryId}: one more frame may go out. */
    public record FrameDelivered(long deliveryId) implements WireMessage {
    }

    /**
     * A frame from the central system for one meter's {@code module}, relayed by the concentrator to that meter's
     * Communications. {@code at} (epoch millis, simulated) is when the central system sent it; bulk switch
     * commands carry their randomised per-meter time here (DESIGN 8), so deliver it no earlier.
     */
    public record FrameForMeter(String meterId, SecurityModule module, byte[] frame, long at) implements WireMessage {
        public FrameForMeter {
            Objects.requireNonNull(meterId, "meterId");
            Objects.requireNonNull(module, "module");
            Objects.requireNonNull(frame, "frame");
        }
    }

    /** What the concentrator publishes per aggregation group and interval, to the reader of aggregates. */
    public sealed interface Aggregate extends WireMessage permits AggregateReading, CombinedShare, AggregateWithheld {
        String concentratorId();

        String group();

        long round();
    }

    /** Zero-sum masking: the concentrator read the sum over {@code contributors} meters itself. */
    public record AggregateReading(String concentratorId, String group, long round, int contributors, int groupSize,
                                   long totalWh) implements Aggregate {
    }

    /**
     * Paillier: the product of the present meters' ciphertexts, which only the private-key holder can read. It
     * answers {@code replyTo} with the total so the concentrator can compare it with its feeder.
     */
    public record CombinedShare(String concentratorId, String group, long round, int contributors, int groupSize,
                                BigInteger ciphertext, ActorRef<AggregateRead> replyTo) implements Aggregate {
    }

    /** No aggregate for this round: fewer than the minimum group size of meters took part (P14), or shares were bad. */
    public record AggregateWithheld(String concentratorId, String group, long round, int contributors, String reason)
            implements Aggregate {
    }

    /** The reader's answer to a {@link CombinedShare}: the group's total for that round. */
    public record AggregateRead(String group, long round, long totalWh) implements WireMessage {
    }

    /** A {@link org.hasm.actors.crypto.SignedFraudAlert} in its wire form; the central system verifies it. */
    public record FraudAlert(String concentratorId, byte[] signedAlert) implements WireMessage {
    }
}
