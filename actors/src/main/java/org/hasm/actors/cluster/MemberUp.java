package org.hasm.actors.cluster;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Cluster;
import org.slf4j.LoggerFactory;

/**
 * What every process that joins a cluster from the command line waits for ({@code hasm node}, {@code hasm
 * simulate --join}, {@code hasm load-test --target}): its node being Up, or its actor system ending first
 * (no seed answered), with Pekko's warning about each failed attempt kept quiet meanwhile.
 */
public final class MemberUp {
    /**
     * Pekko's loggers that warn on every attempt to reach a seed that does not answer (the remote handshake's
     * timeout among them), and on every connection a leaving node drops.
     */
    private static final List<String> CONNECTION_NOISE = List.of("org.apache.pekko.stream.Materializer",
            "org.apache.pekko.cluster.Cluster", "org.apache.pekko.remote");

    private MemberUp() {
    }

    /** Sets those loggers to errors only; {@code setLevel(null)} on each gives them back their configured level. */
    public static List<Logger> quietConnectionNoise() {
        List<Logger> quiet = CONNECTION_NOISE.stream().map(n -> (Logger) LoggerFactory.getLogger(n)).toList();
        quiet.forEach(l -> l.setLevel(Level.ERROR));
        return quiet;
    }

    /**
     * Completes with true once this node is Up, or with false once its actor system has terminated first. Call
     * it before the node may come up (before joining), so that the moment is not missed.
     */
    public static CompletableFuture<Boolean> of(ActorSystem<?> system) {
        CompletableFuture<Boolean> up = new CompletableFuture<>();
        Cluster.get(Adapter.toClassic(system)).registerOnMemberUp(() -> up.complete(true));
        system.getWhenTerminated().thenRun(() -> up.complete(false));
        return up;
    }
}
