package org.hasm.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.hasm.actors.central.CentralSystem;
import org.hasm.actors.fleet.SeededFleet;
import org.hasm.actors.link.CentralSystemLink.DeliverFrame;
import org.hasm.actors.link.CentralSystemLink.FrameDelivered;
import org.hasm.actors.crypto.GcmFrameSealer;
import org.hasm.actors.crypto.InvocationCounter;
import org.hasm.actors.crypto.SystemTitle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hasm.actors.link.ClusterSettings;
import org.hasm.actors.central.CentralLocator;

/**
 * A cluster of two: a central node and a concentrator node at a lower address, in two child JVMs. The
 * concentrator is killed. One against one, the split-brain resolver must keep the central node, the oldest,
 * and down the dead one (keep-majority would keep the lower address, the dead node's side, and the central
 * node would down itself). The central node then still takes a reading from a node that joins it.
 */
class CentralOutlivesItsPeerTest {
    private static final long SEED = 5;
    private static final int METERS = 2;
    private static final Pattern DECISION = Pattern.compile("SBR took decision (\\w+) and is downing \\[([^\\]]*)\\]");

    @Test
    void whenTheOnlyOtherNodeCrashesTheCentralNodeDownsItAndGoesOn(@TempDir Path dir) throws Exception {
        int lower;
        int higher;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            lower = Math.min(a.getLocalPort(), b.getLocalPort());
            higher = Math.max(a.getLocalPort(), b.getLocalPort());
        }
        ActorTestKit testKit = null;
        try (NodeProcess central = NodeProcess.start(dir, "central", Map.of(), "--role", "central",
                "--port", String.valueOf(higher), "--data", dir.resolve("data").toString(),
                "--meters", String.valueOf(METERS), "--seed-keys", String.valueOf(SEED));
             NodeProcess peer = NodeProcess.start(dir, "peer", Map.of(), "--role", "concentrator",
                     "--port", String.valueOf(lower), "--seed", central.hostPort())) {
            peer.kill();
            Matcher decision = central.awaitLine(DECISION, NodeProcess.STARTUP);
            assertEquals("DownUnreachable", decision.group(1), decision.group());
            assertEquals(ClusterSettings.seedAddress(peer.hostPort()), decision.group(2), "only the dead node is downed");

            testKit = ActorTestKit.create(ClusterSettings.SYSTEM_NAME, ClusterSettings.node("127.0.0.1", 0,
                    List.of(ClusterSettings.CONCENTRATOR), List.of(central.hostPort()))
                    .withFallback(ConfigFactory.load("application-test")));
            CentralSystem.Handles handles = CentralLocator.locate(testKit.system(), List.of(), NodeProcess.STARTUP)
                    .toCompletableFuture().get(NodeProcess.STARTUP.toSeconds() + 10, TimeUnit.SECONDS);
            String meter = SeededFleet.meterId(1);
            GcmFrameSealer sealer = new GcmFrameSealer(new SeededFleet(SEED, METERS).apply(meter).csSecurityKeys().channelKey(),
                    SystemTitle.ofMeter(meter), InvocationCounter.fresh());
            TestProbe<FrameDelivered> delivered = testKit.createTestProbe(FrameDelivered.class);
            handles.inbox().tell(new DeliverFrame(42, meter, CentralNodeProcessTest.reading(sealer, 1_767_225_600_000L, 7),
                    delivered.getRef()));
            assertEquals(42, delivered.receiveMessage(NodeProcess.STARTUP).deliveryId());
            testKit.shutdownTestKit();
            testKit = null;
        } finally {
            if (testKit != null) {
                testKit.shutdownTestKit();
            }
        }
    }
}
