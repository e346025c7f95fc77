package org.hasm.actors.meter;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.hasm.actors.crypto.ChannelKey;
import org.hasm.actors.crypto.FrameKind;
import org.hasm.actors.crypto.GcmFrameSealer;
import org.hasm.actors.crypto.InvocationCounter;
import org.hasm.actors.crypto.SystemTitle;

/**
 * Seals a module's outgoing frames under invocation counters that a segment has already reserved, so
 * that a restarted module never reuses a counter (and so an AES-GCM IV) under the same key: it resumes
 * after the whole reserved block, whatever it had used of it. Counters are reserved a block at a time,
 * so a reservation costs one write per {@link #BLOCK} frames; frames wait (never block) for it.
 */
final class ReservedCounterSealer {
    static final long BLOCK = 1024;

    private final GcmFrameSealer sealer;
    /** Stores a new reservation durably, then runs the callback. */
    private final BiConsumer<Long, Runnable> reserve;
    private final Deque<Runnable> waiting = new ArrayDeque<>();
    private long reservedUpTo;
    private boolean reserving;

    /**
     * @param reservedUpTo the highest counter reserved before (0 for a new key): counters up to it may have
     *                     been used, so sealing resumes after it
     */
    ReservedCounterSealer(ChannelKey key, SystemTitle sender, long reservedUpTo, BiConsumer<Long, Runnable> reserve) {
        this.sealer = new GcmFrameSealer(key, sender, InvocationCounter.resumingAfter(reservedUpTo));
        this.reservedUpTo = reservedUpTo;
        this.reserve = reserve;
    }

    /** Seals {@code plaintext} and hands the frame to {@code send}, now or once a counter is reserved. */
    void seal(FrameKind kind, byte[] plaintext, Consumer<byte[]> send) {
        waiting.add(() -> send.accept(sealer.seal(kind, plaintext)));
        drain();
    }

    private void drain() {
        while (!waiting.isEmpty() && sealer.lastUsedCounter() < reservedUpTo) {
            waiting.poll().run();
        }
        if (!waiting.isEmpty() && !reserving) {
            reserving = true;
            long next = reservedUpTo + BLOCK; // the sealer never gets past reservedUpTo
            reserve.accept(next, () -> {
                reservedUpTo = next;
                reserving = false;
                drain();
            });
        }
    }
}
