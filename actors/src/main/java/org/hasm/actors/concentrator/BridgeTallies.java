package org.hasm.actors.concentrator;

import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.hasm.actors.concentrator.DataConcentrator.BridgeTally;

/**
 * What passed through each meters node's {@link MeterBridge}, counted on the concentrator's side, so the driver
 * of a run across nodes can tell against the bridge's own counts that nothing between them is still under
 * way. Not thread-safe: owned by one actor.
 */
final class BridgeTallies {
    /** Per bridge: payloads received through it and sent to it, {received, sent}. */
    private final Map<ActorRef<MeterBridge.ToMeter>, long[]> tallies = new HashMap<>();

    void received(ActorRef<MeterBridge.ToMeter> bridge) {
        tally(bridge)[0]++;
    }

    void sent(ActorRef<MeterBridge.ToMeter> bridge) {
        tally(bridge)[1]++;
    }

    /** Zero both ways for a bridge nothing passed through. */
    BridgeTally of(ActorRef<MeterBridge.ToMeter> bridge) {
        long[] t = tallies.getOrDefault(bridge, new long[2]);
        return new BridgeTally(t[0], t[1]);
    }

    private long[] tally(ActorRef<MeterBridge.ToMeter> bridge) {
        return tallies.computeIfAbsent(bridge, b -> new long[2]);
    }
}
