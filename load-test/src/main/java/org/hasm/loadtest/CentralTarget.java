package org.hasm.loadtest;

import java.util.Collection;
import java.util.Map;
import java.util.function.LongConsumer;
import org.hasm.actors.central.ProvisionedMeter;

/**
 * The central system under load: in this process ({@link LocalTarget}) or in another one started with
 * {@code hasm node --role central} ({@link RemoteTarget}). Frames go in as the concentrator hands them over; the delivery id comes back once
 * the central system has persisted the frame's outcome (kept or refused).
 */
public interface CentralTarget extends AutoCloseable {
    /** One line for the terminal and the report. */
    String describe();

    /** Makes a meter's keys known to the central system before its first frame. */
    void provision(ProvisionedMeter meter);

    /** Where acknowledgements go; set once before the first delivery. Called on the target's threads. */
    void onAcknowledgement(LongConsumer acknowledged);

    /** Hands one frame over; never waits for its acknowledgement. */
    void deliver(long deliveryId, String meterId, byte[] frame);

    /** What the central system counted for these meters; the caller waits (never an actor thread). */
    Tally tally(Collection<String> meterIds);

    @Override
    void close();

    /** Readings kept and frames refused (by cause, as the accounts name them). */
    record Tally(long readings, Map<String, Long> refusals) {
        public Tally {
            refusals = Map.copyOf(refusals);
        }
    }
}
