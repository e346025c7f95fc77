package org.hasm.loadtest;

import ch.qos.logback.classic.Logger;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.hasm.actors.central.CentralSystem;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.link.CentralSystemLink.FrameForMeter;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.central.CentralLocator;
import org.hasm.actors.link.ClusterSettings;
import org.hasm.actors.cluster.MemberUp;

/**
 * A central node in another process ({@code hasm node --role central}): this process joins its cluster as a
 * node of role {@code concentrator} on a free port, finds the central inbox with {@link CentralLocator} and
 * delivers the meters' sealed frames there. Acknowledgements are the accounts' {@link FrameDelivered}s.
 *
 * <p>The node derives its meters' keys from a seed ({@code SeededFleet}), so the load test's meters are that
 * fleet's ({@link Fleet#seeded}); {@link #provision} has nothing to do. The node keeps its accounts between load
 * tests, so {@link #resume} reads where each account stands: meters go on after their last counter, and
 * {@link #tally} counts from there.
 */
public final class RemoteTarget extends CentralSystemTarget {
    private final String target;

    private RemoteTarget(String target, ActorSystem<Void> system, CentralSystem.Handles central) {
        super(system, central);
        this.target = target;
        // the accounts' acknowledgement frames for the meters come here and are dropped: no meter listens; without
        // a listed downlink the central node would keep them
        ActorRef<FrameForMeter> downlink = system.systemActorOf(Behaviors.ignore(), "load-test-downlink", Props.empty());
        system.receptionist().tell(Receptionist.register(CentralLocator.DOWNLINK, downlink));
    }

    /**
     * Joins the cluster of the central node at {@code host:port} and finds its central system, or throws a
     * {@link TargetUnusable} with one line when that does not happen within {@code timeout}. Waits: call it from
     * the command's thread, never an actor's.
     */
    public static RemoteTarget connect(String host, int port, Duration timeout) {
        String seed = host + ":" + port;
        Config config = ConfigFactory.parseString("pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes = "
                        + timeout.toSeconds() + "s")
                .withFallback(ClusterSettings.node(ownHost(host), 0, List.of(ClusterSettings.CONCENTRATOR), List.of(seed)))
                .withFallback(ConfigFactory.load());
        List<Logger> quiet = MemberUp.quietConnectionNoise();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterSettings.SYSTEM_NAME, config);
        try {
            boolean up;
            try {
                up = MemberUp.of(system).get(timeout.toSeconds() + 10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                up = false;
            }
            if (!up) {
                throw new TargetUnusable("no central node answered at " + seed + " within " + timeout.toSeconds()
                        + " s: is `hasm node --role central` running there, and can it reach this machine?");
            }
            quiet.forEach(l -> l.setLevel(null));
            CentralSystem.Handles handles;
            try {
                handles = CentralLocator.locate(system, List.of(), timeout).toCompletableFuture()
                        .get(timeout.toSeconds() + 10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new TargetUnusable("joined the cluster at " + seed + " but found no central system in it within "
                        + timeout.toSeconds() + " s: is the node there of role central?");
            }
            return new RemoteTarget(seed, system, handles);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            terminate(system);
            throw new TargetUnusable("interrupted while joining " + seed);
        } catch (RuntimeException e) {
            quiet.forEach(l -> l.setLevel(null));
            terminate(system);
            throw e;
        }
    }

    /** This node's address as the central node will reach it: loopback for a local target, else this host's. */
    private static String ownHost(String targetHost) {
        try {
            InetAddress at = InetAddress.getByName(targetHost);
            return at.isLoopbackAddress() ? "127.0.0.1" : InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            throw new TargetUnusable("unknown host '" + targetHost + "' in --target");
        }
    }

    /**
     * Where each account stands before the load: the counter of its last reading (the meter goes on after it)
     * and its counts, from which {@link #tally} starts. One line when the node knows none of a meter (it was
     * started with fewer {@code --meters}) or a different fleet.
     */
    public Map<String, Long> resume(Collection<String> meterIds, Duration timeout) {
        Map<String, CompletableFuture<MeterAccount.AccountView>> views = ask(meterIds, timeout);
        Map<String, Long> last = new HashMap<>();
        for (Map.Entry<String, CompletableFuture<MeterAccount.AccountView>> e : views.entrySet()) {
            try {
                MeterAccount.AccountView v = e.getValue().join();
                baseline(e.getKey(), v);
                last.put(e.getKey(), v.lastReadingFrame());
            } catch (CompletionException ex) {
                // an unprovisioned account answers frames but no questions
                throw new TargetUnusable("the central node at " + target + " has no account for meter " + e.getKey()
                        + " (no answer within " + timeout.toSeconds() + " s): start it with at least as many --meters");
            }
        }
        return last;
    }

    @Override
    public String describe() {
        return "central node at " + target + " (this process joined its cluster as a concentrator)";
    }

    @Override
    public void provision(ProvisionedMeter meter) {
        // the central node derives every meter's keys from its seed
    }

    /** Leaves the cluster (the central node goes on) and stops this node. */
    @Override
    public void close() {
        CoordinatedShutdown.get(system).run(CoordinatedShutdown.unknownReason());
        system.getWhenTerminated().toCompletableFuture().join();
    }

    private static void terminate(ActorSystem<Void> system) {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
    }
}
