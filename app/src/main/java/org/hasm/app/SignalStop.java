package org.hasm.app;

import ch.qos.logback.classic.Level;
import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a command says when Ctrl-C or a signal stops it. Pekko's CoordinatedShutdown then runs from the JVM's
 * shutdown hook: sharding stops the accounts, the concentrator resends what they no longer confirm, and the
 * command's own waits fail. Without this the user read a screen of warnings and "internal error". With it:
 * one line on stderr saying what is kept, the runtime's warnings silenced for the rest of the shutdown, and
 * {@link HasmCommand} treats any failure of the command from then on as the signal's consequence, not an error
 * of its own (exit 130). The JVM exits with the signal's status once the shutdown is done.
 */
public final class SignalStop {
    /** The whole process: a signal ends the JVM, whichever actor system a command watched. */
    private static final AtomicBoolean STOPPING = new AtomicBoolean();

    private SignalStop() {
    }

    /**
     * Watches {@code system}; on a signal prints {@code "hasm: stopped by a signal (Ctrl-C): " + kept.get()}.
     *
     * @param kept what the user still has, said from inside the shutdown (for example where the logs are)
     */
    public static void watch(ActorSystem<?> system, PrintWriter err, Supplier<String> kept) {
        CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
        // said from inside CoordinatedShutdown: after a signal the JVM may halt before the main thread wakes
        shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "hasm-signal-stop", () -> {
            boolean bySignal = shutdown.getShutdownReason().filter(CoordinatedShutdown.jvmExitReason()::equals).isPresent();
            if (bySignal && STOPPING.compareAndSet(false, true)) {
                ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.ERROR);
                err.println();
                err.println("hasm: stopped by a signal (Ctrl-C): " + kept.get());
                err.flush();
            }
            return CompletableFuture.completedFuture(Done.getInstance());
        });
    }

    /** Whether a signal is stopping this process: then a failure of the command's work is its consequence. */
    public static boolean stopping() {
        return STOPPING.get();
    }

    /** Thrown by a command whose work ended without failing but cut short by a signal; the user has been told. */
    public static final class Stopped extends RuntimeException {
        public Stopped() {
            super("stopped by a signal", null, false, false);
        }
    }
}
