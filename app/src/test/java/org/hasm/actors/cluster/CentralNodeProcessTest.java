package org.hasm.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.hasm.actors.central.CentralSystem;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.link.SecurityModule;
import org.hasm.actors.link.CentralSystemLink.FrameForMeter;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.fleet.SeededFleet;
import org.hasm.actors.link.CentralSystemLink.DeliverFrame;
import org.hasm.actors.link.CentralSystemLink.FrameDelivered;
import org.hasm.actors.crypto.FrameKind;
import org.hasm.actors.crypto.GcmFrameOpener;
import org.hasm.actors.crypto.GcmFrameSealer;
import org.hasm.actors.crypto.InvocationCounter;
import org.hasm.actors.crypto.Opened;
import org.hasm.actors.crypto.SystemTitle;
import org.hasm.actors.fleet.NeighbourhoodPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hasm.actors.link.ClusterSettings;
import org.hasm.actors.central.CentralLocator;

/**
 * Two JVMs: a child process runs {@code hasm node --role central}; the test's own actor system joins it as a
 * concentrator node, finds the central system through {@link CentralLocator} and delivers sealed frames of a
 * meter whose keys it derived itself from the same seed. The child is then killed and must be gone.
 */
class CentralNodeProcessTest {
    private static final long SEED = 7;
    private static final int METERS = 8;
    private static final String METER = SeededFleet.meterId(3);
    private static final long QUARTER = 900_000L;
    private static final long DAY0 = 1_767_225_600_000L; // 2026-01-01T00:00Z
    private static final Duration STARTUP = NodeProcess.STARTUP;

    @Test
    void aConcentratorNodeDeliversSealedFramesToACentralNodeInAnotherProcess(@TempDir Path dir) throws Exception {
        ActorTestKit testKit = null;
        try (NodeProcess central = NodeProcess.start(dir, "central", Map.of(), "--role", "central", "--port", "0",
                "--data", dir.resolve("data").toString(), "--meters", String.valueOf(METERS),
                "--seed-keys", String.valueOf(SEED), "--acknowledge-every", "1")) {
            testKit = ActorTestKit.create(ClusterSettings.SYSTEM_NAME, ClusterSettings.node("127.0.0.1", 0,
                    List.of(ClusterSettings.CONCENTRATOR), List.of(central.hostPort()))
                    .withFallback(ConfigFactory.load("application-test")));
            TestProbe<FrameForMeter> downlink = testKit.createTestProbe(FrameForMeter.class);
            testKit.system().receptionist().tell(Receptionist.register(CentralLocator.DOWNLINK, downlink.getRef()));

            CentralSystem.Handles handles = CentralLocator.locate(testKit.system(), List.of(NeighbourhoodPlan.CONCENTRATOR),
                    STARTUP).toCompletableFuture().get(STARTUP.toSeconds() + 10, TimeUnit.SECONDS);
            assertNotNull(handles.fraudAlerts().get(NeighbourhoodPlan.CONCENTRATOR));

            // the meter's side, from the seed alone: the same keys the central node derived in its own process
            ProvisionedMeter keys = new SeededFleet(SEED, METERS).apply(METER);
            GcmFrameSealer meter = new GcmFrameSealer(keys.csSecurityKeys().channelKey(), SystemTitle.ofMeter(METER),
                    InvocationCounter.fresh());
            GcmFrameOpener fromCentral = new GcmFrameOpener(keys.csSecurityKeys().channelKey(), SystemTitle.ofCentralSystem(
                    SeededFleet.CENTRAL_SYSTEM_ID));
            TestProbe<FrameDelivered> delivered = testKit.createTestProbe(FrameDelivered.class);
            for (int k = 0; k < 3; k++) {
                long start = DAY0 + k * QUARTER;
                handles.inbox().tell(new DeliverFrame(k + 1, METER, reading(meter, start, 100 + k), delivered.getRef()));
                assertEquals(new FrameDelivered(k + 1), delivered.receiveMessage(STARTUP));
                // acknowledged through the concentrator's downlink, sealed with the central node's copy of the key
                FrameForMeter ack = downlink.receiveMessage(STARTUP);
                assertEquals(METER, ack.meterId());
                assertEquals(SecurityModule.CS_SECURITY, ack.module());
                Opened.Ok ok = assertInstanceOf(Opened.Ok.class, fromCentral.open(ack.frame()));
                assertEquals(FrameKind.ACKNOWLEDGEMENT, ok.kind());
                assertEquals(start + QUARTER, Long.parseLong(new String(ok.plaintext(), StandardCharsets.UTF_8)));
            }

            // a frame sealed with another seed's key for the same meter is taken over but refused by the account
            ProvisionedMeter forged = new SeededFleet(SEED + 1, METERS).apply(METER);
            byte[] forgedFrame = reading(new GcmFrameSealer(forged.csSecurityKeys().channelKey(), SystemTitle.ofMeter(METER),
                    InvocationCounter.fresh()), DAY0 + 3 * QUARTER, 999);
            handles.inbox().tell(new DeliverFrame(4, METER, forgedFrame, delivered.getRef()));
            assertEquals(new FrameDelivered(4), delivered.receiveMessage(STARTUP));

            // the account, asked through this node's sharding proxy
            TestProbe<MeterAccount.AccountView> view = testKit.createTestProbe(MeterAccount.AccountView.class);
            handles.accounts().tell(new ShardingEnvelope<>(METER, new MeterAccount.GetAccount(view.getRef())));
            MeterAccount.AccountView account = view.receiveMessage(STARTUP);
            assertEquals(3, account.readings());
            assertEquals(1L, account.refusals().values().stream().mapToLong(Long::longValue).sum(), account.refusals().toString());

            central.kill();
            assertFalse(central.isAlive());
            // the operator's part after a crash: down the dead node so that this one can leave the cluster cleanly
            downCentralNodes(testKit);
        } finally {
            if (testKit != null) {
                testKit.shutdownTestKit();
            }
        }
    }

    /** Downs every member of role central, as an operator does once those processes are known to be dead. */
    static void downCentralNodes(ActorTestKit testKit) {
        Cluster cluster = Cluster.get(testKit.system());
        for (var member : cluster.state().getMembers()) {
            if (member.hasRole(ClusterSettings.CENTRAL)) {
                cluster.manager().tell(new Down(member.address()));
            }
        }
    }

    static byte[] reading(GcmFrameSealer meter, long start, long importWh) {
        return meter.seal(FrameKind.READINGS, ("electricity," + start + "," + (start + QUARTER) + "," + importWh + ",0")
                .getBytes(StandardCharsets.UTF_8));
    }
}
