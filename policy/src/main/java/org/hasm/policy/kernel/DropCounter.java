package org.hasm.policy.kernel;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.Comparator;

/** Counts dropped messages per (rule, sender, receiver, type); safe to update from many actors at once. */
public final class DropCounter {
    private static final Comparator<Violation.DropKey> ORDER = Comparator.comparing(Violation.DropKey::rule)
            .thenComparing(Violation.DropKey::sender).thenComparing(Violation.DropKey::receiver)
            .thenComparing(Violation.DropKey::type);

    private final ConcurrentHashMap<Violation.DropKey, LongAdder> counts = new ConcurrentHashMap<>();

    void increment(Violation.DropKey key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long count(Violation.DropKey key) {
        LongAdder n = counts.get(key);
        return n == null ? 0 : n.sum();
    }

    /** A sorted copy of the counts at this moment. */
    public Map<Violation.DropKey, Long> snapshot() {
        Map<Violation.DropKey, Long> copy = new TreeMap<>(ORDER);
        counts.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }
}
