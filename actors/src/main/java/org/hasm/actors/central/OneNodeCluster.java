package org.hasm.actors.central;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.hasm.actors.cluster.ClusterConfig;

/**
 * A Pekko Cluster of one node, enough to run the central system's sharded accounts in one process: Artery
 * TCP on loopback with a port the OS picks (so tests and runs never collide), Java serialization off
 * (messages go by Jackson CBOR, DESIGN 10), every role of {@link ClusterConfig} at once, and the node joins itself.
 */
public final class OneNodeCluster {
    private OneNodeCluster() {
    }

    /** Put it over the application's configuration: {@code OneNodeCluster.config().withFallback(ConfigFactory.load())}. */
    public static Config config() {
        return ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.remote.artery.transport = tcp
                pekko.remote.artery.canonical.hostname = "127.0.0.1"
                pekko.remote.artery.canonical.port = 0
                pekko.actor.allow-java-serialization = off
                pekko.actor.warn-about-java-serializer-usage = on
                # several test systems in one JVM would otherwise fight over the MBean name
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                # one node: nobody to wait for, and nobody to split from
                pekko.cluster.min-nr-of-members = 1
                # one process plays every part: the accounts' sharding and the singletons need the role central
                pekko.cluster.roles = [central, concentrator, meters]
                # one node: no other to hand the accounts to. After Ctrl-C mid-run the concentrator's resends sat
                # buffered in the region, which waited out the default 10 s for them before it stopped anyway
                pekko.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout = 2s
                """);
    }

    /** Makes the node a member of its own cluster; sharding buffers messages until it is up. */
    public static void joinSelf(ActorSystem<?> system) {
        Cluster cluster = Cluster.get(system);
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
}
