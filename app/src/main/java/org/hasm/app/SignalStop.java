package org.hasm.app;

import ch.qos.logback.classic.Level;
import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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

    /** The signal that ended the process, as the user knows it; set by the handlers {@link #watch} installs. */
    private static final AtomicReference<String> SIGNAL = new AtomicReference<>();

    /** The signals whose JVM default is to exit through the shutdown hooks, and the names a user knows them by. */
    private static final Map<String, String> NAMES = Map.of("INT", "Ctrl-C (SIGINT)", "TERM", "SIGTERM", "HUP", "SIGHUP");

    private static final AtomicBoolean HANDLING = new AtomicBoolean();

    private SignalStop() {
    }

    /**
     * Watches {@code system}; on a signal prints {@code "hasm: stopped by SIGTERM: " + kept.get()} (or Ctrl-C
     * (SIGINT), SIGHUP: the signal's name).
     *
     * @param kept what the user still has, said from inside the shutdown (for example where the logs are)
     */
    public static void watch(ActorSystem<?> system, PrintWriter err, Supplier<String> kept) {
        nameSignals();
        CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
        // said from inside CoordinatedShutdown: after a signal the JVM may halt before the main thread wakes
        shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "hasm-signal-stop", () -> {
            boolean bySignal = shutdown.getShutdownReason().filter(CoordinatedShutdown.jvmExitReason()::equals).isPresent();
            if (bySignal && STOPPING.compareAndSet(false, true)) {
                ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.ERROR);
                err.println();
                String signal = SIGNAL.get();
                err.println("hasm: stopped by " + (signal == null ? "a signal" : signal) + ": " + kept.get());
                err.flush();
            }
            return CompletableFuture.completedFuture(Done.getInstance());
        });
    }

    /**
     * A handler in front of the JVM's own for each signal, which only notes its name and hands it on: the JVM
     * still exits through its shutdown hooks with 128 + the signal's number. The JVM does not say which signal
     * started its shutdown, and "Ctrl-C" for a SIGTERM sent by a supervisor misleads.
     */
    @SuppressWarnings("removal")
    private static void nameSignals() {
        if (!HANDLING.compareAndSet(false, true)) {
            return;
        }
        NAMES.forEach((signal, name) -> {
            try {
                sun.misc.Signal s = new sun.misc.Signal(signal);
                sun.misc.SignalHandler[] previous = new sun.misc.SignalHandler[1];
                previous[0] = sun.misc.Signal.handle(s, caught -> {
                    SIGNAL.compareAndSet(null, name);
                    previous[0].handle(caught);
                });
                if (previous[0] == sun.misc.SignalHandler.SIG_IGN || previous[0] == sun.misc.SignalHandler.SIG_DFL) {
                    sun.misc.Signal.handle(s, previous[0]); // ignored (nohup, a background job) or not the JVM's: as it was
                }
            } catch (IllegalArgumentException e) {
                // the platform has no such signal, or the JVM runs with -Xrs and leaves it alone: no name for it
            }
        });
    }

    /**
     * For a node that {@code simulate --processes 3} started: a Ctrl-C at the terminal reaches the whole process
     * group, and the node must not leave before the meters' closing anchors reach it; its parent stops it
     * with SIGTERM once they have.
     */
    @SuppressWarnings("removal")
    static void ignoreInterrupt() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sun.misc.SignalHandler.SIG_IGN);
        } catch (IllegalArgumentException e) {
            // no SIGINT here, or the JVM runs with -Xrs: nothing to ignore
        }
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
