package org.hasm.actors.meter;

import java.util.TreeMap;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.meter.MeterSignals.EnergySample;
import org.hasm.actors.meter.MeterSignals.IntervalReading;
import org.hasm.actors.meter.MeterSignals.Tick;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * The metrology component: accumulates imported and exported energy and closes one reading per
 * metering interval, aligned to multiples of the interval since the epoch, when the Clock passes the
 * interval's end. A tick that jumps several intervals closes each of them.
 */
public final class Metrology {
    static final Needs NEEDS = Needs.of(Part.Metrology).sends(Part.Computations, MessageType.IntervalReading);

    private final Channel<PolicyMessage> computations;
    private final long intervalMs;
    /** Energy per interval start, for the open interval and any sampled ahead of the Clock's tick. */
    private final TreeMap<Long, long[]> energy = new TreeMap<>();
    private long intervalStart = Long.MIN_VALUE;

    private Metrology(Wiring wiring, MeterConfig config) {
        this.computations = wiring.to(Part.Computations);
        this.intervalMs = config.interval().toMillis();
    }

    public static Behavior<PolicyMessage> create(MeterConfig config) {
        return Wiring.await(w -> new Metrology(w, config).running());
    }

    private Behavior<PolicyMessage> running() {
        return Behaviors.receive(PolicyMessage.class)
                .onMessage(EnergySample.class, s -> {
                    // Energy of an interval already closed (a late sample) counts in the open one: readings are never rewritten.
                    long bucket = Math.max(floor(s.at()), intervalStart);
                    long[] e = energy.computeIfAbsent(bucket, b -> new long[2]);
                    e[0] += Math.max(0, s.importWh());
                    e[1] += Math.max(0, s.exportWh());
                    return Behaviors.same();
                })
                .onMessage(Tick.class, t -> {
                    long start = floor(t.now());
                    if (intervalStart == Long.MIN_VALUE) {
                        // Installed mid-interval: the first reading covers the rest of this interval.
                        intervalStart = start;
                        mergeBefore(start);
                    }
                    while (intervalStart < start) {
                        long[] e = energy.remove(intervalStart);
                        computations.send(new IntervalReading(intervalStart, intervalStart + intervalMs,
                                e == null ? 0 : e[0], e == null ? 0 : e[1]));
                        intervalStart += intervalMs;
                    }
                    return Behaviors.same();
                })
                .build();
    }

    private void mergeBefore(long start) {
        long[] into = energy.computeIfAbsent(start, b -> new long[2]);
        for (var it = energy.headMap(start).entrySet().iterator(); it.hasNext(); ) {
            long[] e = it.next().getValue();
            into[0] += e[0];
            into[1] += e[1];
            it.remove();
        }
    }

    private long floor(long time) {
        return Math.floorDiv(time, intervalMs) * intervalMs;
    }
}
