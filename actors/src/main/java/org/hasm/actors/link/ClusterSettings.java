package org.hasm.actors.link;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * The Pekko Cluster settings of hasm, in one place: {@link #node} for one node of a neighbourhood split over
 * processes (DESIGN 10, docs/cluster.md: Artery TCP at a canonical host and port, its roles, its seed nodes,
 * the split-brain resolver) and {@link #oneNode} for a cluster of one that plays every role in one process.
 * Both turn Java serialization off: every message between nodes is a {@link WireMessage} on Jackson CBOR.
 * Every node's actor system is named {@link #SYSTEM_NAME}, or the nodes would not see one cluster.
 */
public final class ClusterSettings {
    /** Nodes that keep the {@code MeterAccount}s (Cluster Sharding), the inbox, the gateway and the alert ledgers. */
    public static final String CENTRAL = "central";
    /** Nodes that run a {@code DataConcentrator} and its feeder meter. */
    public static final String CONCENTRATOR = "concentrator";
    /** Nodes that run meters: each meter's guarded parts and segments stay together in one process. */
    public static final String METERS = "meters";
    public static final Set<String> ROLES = Set.of(CENTRAL, CONCENTRATOR, METERS);
    /** The actor system's name on every node; seed addresses name it ({@code pekko://hasm@host:port}). */
    public static final String SYSTEM_NAME = "hasm";

    private ClusterSettings() {
    }

    /** What every node has, one node or many: Artery TCP, no Java serialization. */
    private static final Config COMMON = ConfigFactory.parseString("""
            pekko.actor.provider = cluster
            pekko.remote.artery.transport = tcp
            pekko.actor.allow-java-serialization = off
            pekko.actor.warn-about-java-serializer-usage = on
            # several actor systems in one JVM (tests, a one-node cluster) would otherwise fight over the MBean name
            pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
            """);

    /**
     * A cluster of one node, enough to run the central system's sharded accounts in one process: loopback with
     * a port the OS picks (so tests and runs never collide), every role at once; {@link #joinSelf} makes it a
     * member. Put it over the application's configuration: {@code ClusterSettings.oneNode().withFallback(ConfigFactory.load())}.
     */
    public static Config oneNode() {
        return ConfigFactory.parseString("""
                pekko.remote.artery.canonical.hostname = "127.0.0.1"
                pekko.remote.artery.canonical.port = 0
                # one node: nobody to wait for, and nobody to split from
                pekko.cluster.min-nr-of-members = 1
                # one process plays every part: the accounts' sharding and the singletons need the role central
                pekko.cluster.roles = [central, concentrator, meters]
                # one node: no other to hand the accounts to. After Ctrl-C mid-run the concentrator's resends sat
                # buffered in the region, which waited out the default 10 s for them before it stopped anyway
                pekko.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout = 2s
                """).withFallback(COMMON);
    }

    /** Makes the node a member of its own cluster; sharding buffers messages until it is up. */
    public static void joinSelf(ActorSystem<?> system) {
        Cluster cluster = Cluster.get(system);
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }

    /**
     * Put it over the application's configuration: {@code ClusterSettings.node(...).withFallback(ConfigFactory.load())}.
     *
     * @param port  0 lets the OS pick one (see the actor system's address for which)
     * @param seeds {@code host:port} of nodes already in the cluster; empty: this node starts a new cluster
     *              and is its own seed
     */
    public static Config node(String host, int port, List<String> roles, List<String> seeds) {
        for (String role : roles) {
            if (!ROLES.contains(role)) {
                throw new IllegalArgumentException("unknown role '" + role + "' (one of " + ROLES + ")");
            }
        }
        List<String> seedAddresses = seeds.stream().map(ClusterSettings::seedAddress).toList();
        return ConfigFactory.parseString("""
                        # a node that cannot reach any seed stops instead of retrying for ever (hasm node says so)
                        pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes = 20s
                        # a crashed node is downed after the failure detector and 'stable-after' agree, so its
                        # shards and singletons move to the survivors. keep-oldest over all roles: the oldest (a
                        # central node, which starts the cluster) stays when its only peer dies, where keep-majority
                        # would keep the lower address; down-if-alone: if the oldest dies, two or more survivors
                        # down it. No 'role = central': of two central nodes, the survivor of the oldest would count
                        # one against one and down itself and every other node (docs/cluster.md).
                        pekko.cluster.downing-provider-class = "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider"
                        pekko.cluster.split-brain-resolver.active-strategy = keep-oldest
                        pekko.cluster.split-brain-resolver.keep-oldest.down-if-alone = on
                        pekko.cluster.split-brain-resolver.keep-oldest.role = ""
                        pekko.cluster.split-brain-resolver.stable-after = 7s
                        """).withFallback(COMMON)
                .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(host))
                .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port))
                .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(roles))
                .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seedAddresses));
    }

    /** {@code pekko://hasm@host:port} for {@code host:port}; a malformed one is an IllegalArgumentException. */
    public static String seedAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("seed '" + hostPort + "' is not HOST:PORT");
        }
        String host = hostPort.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("seed '" + hostPort + "' has no port number after the ':'");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("seed '" + hostPort + "': port " + port + " is not between 1 and 65535");
        }
        return String.format(Locale.ROOT, "pekko://%s@%s:%d", SYSTEM_NAME, host, port);
    }
}
