package org.hasm.actors.concentrator;

import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.link.WireMessage;

/**
 * The simulated feeder (transformer) meter at the head of a neighbourhood: it measures the true energy
 * that flows into the neighbourhood, whatever the households' meters say, including the technical losses
 * of the low-voltage network, and reports it to the data concentrator once per interval. The simulation
 * tells it each household's true energy; it never sees any meter's report.
 */
public final class FeederMeter {
    private FeederMeter() {
    }

    public interface Command {
    }

    /** Energy that truly flowed to households in interval {@code round} (interval start / interval length). */
    public record EnergyFlow(long round, long wattHours) implements Command, WireMessage {
    }

    /** Interval {@code round} is over: report what went through the feeder. */
    public record EndOfInterval(long round) implements Command, WireMessage {
    }

    /**
     * @param lossFraction the share of the feeder's energy lost in the network before the meters (e.g. 0.03);
     *                     the feeder measures {@code delivered / (1 - lossFraction)}
     */
    public static Behavior<Command> create(String feederId, double lossFraction, ActorRef<DataConcentrator.FeederReading> concentrator) {
        if (!(lossFraction >= 0 && lossFraction < 1)) {
            throw new IllegalArgumentException("feeder losses must be in [0, 1), not " + lossFraction);
        }
        Map<Long, Long> delivered = new HashMap<>();
        return Behaviors.receive(Command.class)
                .onMessage(EnergyFlow.class, f -> {
                    delivered.merge(f.round(), f.wattHours(), Long::sum);
                    return Behaviors.same();
                })
                .onMessage(EndOfInterval.class, e -> {
                    long wh = delivered.getOrDefault(e.round(), 0L);
                    delivered.remove(e.round());
                    concentrator.tell(new DataConcentrator.FeederReading(feederId, e.round(), Math.round(wh / (1 - lossFraction))));
                    return Behaviors.same();
                })
                .build();
    }
}
