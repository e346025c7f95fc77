package org.hasm.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import ch.qos.logback.classic.Logger;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Cluster;
import org.hasm.actors.cluster.CentralNode;
import org.hasm.actors.link.ClusterSettings;
import org.hasm.actors.cluster.ConcentratorHost;
import org.hasm.actors.cluster.MemberUp;
import org.hasm.actors.sim.scenario.Scenario;
import org.hasm.actors.sim.scenario.ScenarioException;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.SchemaCreator;
import org.hasm.persistence.jdbc.StorageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Starts one node of a cluster (DESIGN 10, docs/cluster.md) and runs until Ctrl-C or until the cluster
 * removes it. The {@code central} role keeps the accounts of the scenario's meters, with keys derived from
 * its seed, and journals in {@code --data} or {@code --db}.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = {"Start one node of a hasm cluster and run until Ctrl-C.",
                "A node without --seed starts a new cluster; give the others --seed HOST:PORT of a node already in it.",
                "Role central: the MeterAccounts (Cluster Sharding), the central inbox, the operator gateway and the"
                        + " fraud-alert ledger, with the keys of the scenario's meters derived from its seed.",
                "Role concentrator: the neighbourhood's data concentrator and feeder meter, made when a simulation"
                        + " joins with 'hasm simulate --join HOST:PORT'."})
final class NodeCommand implements Callable<Integer> {
    @Option(names = "--role", required = true, paramLabel = "ROLE",
            description = "central (the accounts, the operator gateway, the fraud-alert ledgers), concentrator (makes"
                    + " the neighbourhood's data concentrator when a simulation joins) or meters (joins under that role"
                    + " but runs no meters: 'hasm simulate --join HOST:PORT' is the meters node that runs them).")
    String role;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "H",
            description = "Host name or address other nodes reach this one at (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "P",
            description = "TCP port of this node (default: " + FIRST_PORT + " for a node that starts the cluster,"
                    + " any free port for one that joins; 0 for any free port).")
    Integer port;

    @Option(names = "--seed", paramLabel = "HOST:PORT",
            description = "A node already in the cluster (repeat for several); none: this node starts the cluster.")
    List<String> seeds = new ArrayList<>();

    @Option(names = "--join-timeout", defaultValue = "20", paramLabel = "SECONDS",
            description = "Give up when no seed answers within this many seconds (default: ${DEFAULT-VALUE}).")
    int joinTimeoutSeconds;

    @Mixin
    StorageOptions storage;

    @Option(names = "--scenario", defaultValue = Scenario.DEFAULT_NAME, paramLabel = "FILE|NAME",
            description = "Scenario whose meters the central node knows (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--meters", paramLabel = "N", description = "Meters m00000.. the central node knows (default: the scenario's).")
    Integer meters;

    @Option(names = "--seed-keys", paramLabel = "S",
            description = "Seed the meters' keys are derived from (default: the scenario's seed). It stands in for a"
                    + " provisioning database: whoever knows it knows every key.")
    Long seedKeys;

    @Option(names = "--acknowledge-every", defaultValue = "24", paramLabel = "N",
            description = "Readings an account acknowledges at once (default: ${DEFAULT-VALUE}, as the simulation).")
    int acknowledgeEvery;

    /** The port of a node that starts a cluster, so the others know where to join. */
    static final int FIRST_PORT = 2551;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (Boolean.getBoolean(LocalNode.CHILD_PROPERTY)) {
            SignalStop.ignoreInterrupt();
        }
        if (!ClusterSettings.ROLES.contains(role)) {
            throw new UserError("--role " + role + " is not one of central, concentrator, meters");
        }
        if (joinTimeoutSeconds < 1) {
            throw new UserError("--join-timeout must be at least 1 second, not " + joinTimeoutSeconds);
        }
        if (acknowledgeEvery < 1) {
            throw new UserError("--acknowledge-every must be at least 1, not " + acknowledgeEvery);
        }
        int p = port != null ? port : seeds.isEmpty() ? FIRST_PORT : 0;
        if (p < 0 || p > 65_535) {
            throw new UserError("--port " + p + " is not between 0 and 65535");
        }
        Config cluster;
        try {
            cluster = ClusterSettings.node(host, p, List.of(role), seeds);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        cluster = ConfigFactory.parseString("pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes = "
                + joinTimeoutSeconds + "s").withFallback(cluster);
        Config config = cluster.withFallback(ConfigFactory.load());
        Scenario sc = null;
        if (role.equals(ClusterSettings.CENTRAL)) {
            sc = scenario();
            JournalStore store = storage.forNode();
            try {
                SchemaCreator.create(store);
            } catch (StorageException e) {
                throw new UserError(e.getMessage());
            }
            config = store.applyTo(config);
            out.printf(Locale.ROOT, "central journals in %s; %,d meters of scenario %s, keys from seed %d%n",
                    store.describe(), sc.meters(), sc.name(), sc.seed());
        }
        checkPortFree(p);
        // Until the node is up, each failed attempt to reach a seed is a warning from Pekko: the user gets one
        // line from here instead. Once up, the runtime's warnings matter again.
        List<Logger> quiet = MemberUp.quietConnectionNoise();
        ActorSystem<Void> system = start(config, p);
        // said from inside CoordinatedShutdown: after a signal the JVM may halt before the main thread wakes
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "say-stopped", () -> {
            if (CoordinatedShutdown.get(system).getShutdownReason().filter(CoordinatedShutdown.jvmExitReason()::equals).isPresent()) {
                out.println(role + " node stopped (Ctrl-C or a signal): it left the cluster");
                out.flush();
            }
            return CompletableFuture.completedFuture(Done.getInstance());
        });
        CompletableFuture<Boolean> memberUp = MemberUp.of(system);
        if (sc != null) {
            CentralNode.start(system, sc.seed(), sc.meters(), sc.interval(), sc.operators(), acknowledgeEvery);
        } else if (role.equals(ClusterSettings.CONCENTRATOR)) {
            system.systemActorOf(ConcentratorHost.create(java.time.Duration.ofSeconds(60)), "concentrator-host",
                    org.apache.pekko.actor.typed.Props.empty());
        }
        if (sc == null && seeds.isEmpty()) {
            Cluster.get(Adapter.toClassic(system)).join(Cluster.get(Adapter.toClassic(system)).selfAddress());
        }
        // the main thread may wait: it is not an actor thread
        boolean up = memberUp.get();
        quiet.forEach(l -> l.setLevel(null));
        if (up) {
            org.apache.pekko.actor.Address self = Cluster.get(Adapter.toClassic(system)).selfAddress();
            out.printf(Locale.ROOT, "%s node up at %s:%d, role %s%n", role, self.getHost().orElse(host),
                    self.getPort().orElse(p), role);
            if (role.equals(ClusterSettings.CONCENTRATOR)) {
                out.println("it makes the neighbourhood's concentrator when 'hasm simulate --join' asks");
            } else if (role.equals(ClusterSettings.METERS)) {
                out.println("note: a meters node started this way runs no meters; 'hasm simulate --join HOST:PORT' is"
                        + " the meters node that runs them (docs/cluster.md)");
            }
            out.flush();
        }
        system.getWhenTerminated().toCompletableFuture().get();
        return stopped(out, system, up);
    }

    private Scenario scenario() {
        InputFile.checkScenario(scenario);
        try {
            Scenario sc = Scenario.load(scenario);
            sc = meters == null ? sc : sc.withMeters(meters);
            return seedKeys == null ? sc : sc.withSeed(seedKeys);
        } catch (ScenarioException | IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }


    /**
     * One line for a port in use, before Pekko logs its own error about it. Another process may still take the
     * port before the node binds it; {@link #start} reports that case too.
     */
    private void checkPortFree(int p) {
        if (p == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, p));
        } catch (IOException e) {
            throw new UserError("cannot listen on " + host + ":" + p + " (" + e.getMessage()
                    + "): the port is taken or " + host + " is not this machine's; choose another --port or --host");
        }
    }

    /** The actor system, or one line when its port cannot be bound. */
    private ActorSystem<Void> start(Config config, int p) {
        try {
            return ActorSystem.create(Behaviors.empty(), ClusterSettings.SYSTEM_NAME, config);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException) {
                    throw new UserError("cannot listen on " + host + ":" + p + " (" + t.getMessage()
                            + "): the port is taken or " + host + " is not this machine's; choose another --port or --host");
                }
            }
            throw e;
        }
    }

    /** Why the node stopped, as the exit code and, for anything but Ctrl-C, one line. */
    private int stopped(PrintWriter out, ActorSystem<Void> system, boolean wasUp) {
        Optional<CoordinatedShutdown.Reason> reason = CoordinatedShutdown.get(system).getShutdownReason();
        if (!wasUp || reason.filter(CoordinatedShutdown.clusterJoinUnsuccessfulReason()::equals).isPresent()) {
            throw new UserError("could not join the cluster: no seed of " + seeds + " answered within "
                    + joinTimeoutSeconds + " s (is a node listening there, and is it named '" + ClusterSettings.SYSTEM_NAME + "'?)");
        }
        if (reason.filter(CoordinatedShutdown.clusterDowningReason()::equals).isPresent()) {
            out.println(role + " node stopped: the cluster downed it (unreachable for too long)");
            return HasmCommand.CHECK_FAILED;
        }
        if (reason.filter(CoordinatedShutdown.jvmExitReason()::equals).isEmpty()) {
            out.println(role + " node stopped" + reason.map(r -> " (" + r + ")").orElse(""));
        }
        return 0;
    }
}
