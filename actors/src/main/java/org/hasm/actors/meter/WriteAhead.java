package org.hasm.actors.meter;

import java.util.HashMap;
import java.util.Map;
import org.hasm.persistence.SegmentMessages;
import org.hasm.persistence.SegmentMessages.Persisted;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * P11 for one owner module: an action runs only after the segment has confirmed the entry that
 * records it. Nothing blocks: the action waits in a map until the segment's {@code Persisted} arrives.
 */
final class WriteAhead {
    private final Channel<PolicyMessage> segment;
    private final Part segmentPart;
    private final Map<Long, Runnable> pending = new HashMap<>();
    private long nextCorrelation = 1;

    WriteAhead(Wiring wiring, Part segmentPart) {
        this.segment = wiring.to(segmentPart);
        this.segmentPart = segmentPart;
    }

    /** Log {@code kind}/{@code detail} and then run {@code effect}. */
    void append(long time, String kind, String detail, Runnable effect) {
        long c = nextCorrelation++;
        pending.put(c, effect);
        segment.send(new SegmentMessages.AppendEntry(time, kind, detail, c));
    }

    /** Store {@code key=value} in a value segment and then run {@code effect}. */
    void store(long time, String key, String value, Runnable effect) {
        long c = nextCorrelation++;
        pending.put(c, effect);
        segment.send(switch (segmentPart) {
            case Tariffs -> new SegmentMessages.StoreTariffs(time, key, value, c);
            case CreditStore -> new SegmentMessages.StoreCredit(time, key, value, c);
            case OperationalParameters -> new SegmentMessages.StoreParameters(time, key, value, c);
            default -> throw new IllegalStateException(segmentPart + " is not a value segment");
        });
    }

    /** True if this confirmation was for this segment and its action ran. */
    boolean confirmed(Persisted p) {
        if (p.segment() != segmentPart) {
            return false;
        }
        Runnable effect = pending.remove(p.correlation());
        if (effect != null) {
            effect.run();
        }
        return true;
    }

    int pending() {
        return pending.size();
    }
}
