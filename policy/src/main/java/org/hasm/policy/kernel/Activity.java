package org.hasm.policy.kernel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.hasm.policy.Part;

/**
 * Work under way inside meters: messages sent on kernel channels to guarded parts and not yet handled,
 * plus work a part holds open itself (a segment's journal write). Meters have no timers, so when nothing
 * is under way nothing will happen until someone sends again: a simulation driver that waits for
 * {@link #idle()} between steps feeds every meter the same inputs in the same order in every run.
 *
 * <p>Messages to parties outside the meter are not under way inside it; they are counted per receiver
 * ({@link #sentTo(Part)}) so the driver can compare them with what the receiver took in.
 */
public final class Activity {
    private static final Activity NONE = new Activity(false);

    private final boolean counting;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLongArray sentOut = new AtomicLongArray(Part.values().length);
    /** Whoever waits for the meters to fall idle; told by the thread that ends the last piece of work. */
    private final AtomicReference<CompletableFuture<Void>> idleWaiter = new AtomicReference<>();

    private Activity(boolean counting) {
        this.counting = counting;
    }

    /** Counts nothing: for meters nobody waits on. */
    public static Activity none() {
        return NONE;
    }

    /** One for every meter of a simulation, shared. */
    public static Activity counting() {
        return new Activity(true);
    }

    /** A message or a piece of work has started. */
    public void begin() {
        if (counting) {
            pending.incrementAndGet();
        }
    }

    /** What {@link #begin()} started has been handled; anything it caused has begun before this. */
    public void end() {
        if (!counting) {
            return;
        }
        long left = pending.decrementAndGet();
        if (left < 0) {
            throw new IllegalStateException("more work ended than began");
        }
        if (left == 0) {
            CompletableFuture<Void> waiter = idleWaiter.getAndSet(null);
            if (waiter != null) {
                waiter.complete(null);
            }
        }
    }

    /**
     * Completes once nothing is under way inside any meter (at once if nothing is now). One waiter at a time:
     * the simulation's driver. Idle may not last: whoever acts on it checks again what it needs.
     */
    public CompletableFuture<Void> whenIdle() {
        CompletableFuture<Void> idle = new CompletableFuture<>();
        idleWaiter.set(idle);
        // the last piece may have ended before the waiter was set: then nobody else will tell it
        if (pending.get() == 0 && idleWaiter.compareAndSet(idle, null)) {
            idle.complete(null);
        }
        return idle;
    }

    /** A message left the meter for {@code receiver}. */
    void sentOut(Part receiver) {
        if (counting) {
            sentOut.incrementAndGet(receiver.ordinal());
        }
    }

    /** Nothing is under way inside any meter right now. */
    public boolean idle() {
        return pending.get() == 0;
    }

    /** Messages to guarded parts and held work not yet ended. */
    public long pending() {
        return pending.get();
    }

    /** Messages the meters sent to {@code receiver}, an outside party, so far. */
    public long sentTo(Part receiver) {
        return sentOut.get(receiver.ordinal());
    }
}
