package org.hasm.actors.sim;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * How the driver thread (not an actor: it may block) waits for the neighbourhood. Where an actor or a meter
 * part can say that something happened, the driver waits on a future it completes ({@link #until}); where
 * only counters other threads bump or answers to repeated questions tell, it polls ({@link #pollUntil}).
 * Either way it gives up after {@link #STALL} with "the simulation stalled: ...".
 */
final class Waiting {
    /** How long the run may make no progress before it is given up. */
    static final Duration STALL = Duration.ofMinutes(2);

    private Waiting() {
    }

    /** A condition the driver polls; it may ask actors. */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    /** Until {@code done} is completed (by an actor or a meter's part), at most {@link #STALL}. */
    static void until(CompletableFuture<?> done, Supplier<String> stalled) throws Exception {
        try {
            done.get(STALL.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw stalled(stalled.get());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Whether {@code done} is completed within {@code timeout}. */
    static boolean within(CompletableFuture<?> done, Duration timeout) throws InterruptedException {
        try {
            done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Polls {@code done} every {@code everyMs}: for what no actor announces (the meters' {@code Activity}
     * counters, the concentrator's queue, the accounts' journals), so the driver asks again.
     */
    static void pollUntil(long everyMs, Condition done, Supplier<String> stalled) throws Exception {
        long deadline = System.nanoTime() + STALL.toNanos();
        while (!done.holds()) {
            if (System.nanoTime() > deadline) {
                throw stalled(stalled.get());
            }
            Thread.sleep(everyMs);
        }
    }

    static IllegalStateException stalled(String why) {
        return new IllegalStateException("the simulation stalled: " + why);
    }
}
