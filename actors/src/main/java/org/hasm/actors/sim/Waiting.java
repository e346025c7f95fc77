package org.hasm.actors.sim;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * How the driver thread (not an actor: it may block) waits for the neighbourhood: on a future that an actor,
 * a meter's part or the meters' {@code Activity} completes ({@link #until}), or on an actor's answer that it
 * gives only once what was asked for holds. It gives up after {@link #STALL} with "the simulation stalled: ...".
 */
final class Waiting {
    /** How long the run may make no progress before it is given up. */
    static final Duration STALL = Duration.ofMinutes(2);

    private Waiting() {
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

    static IllegalStateException stalled(String why) {
        return new IllegalStateException("the simulation stalled: " + why);
    }
}
