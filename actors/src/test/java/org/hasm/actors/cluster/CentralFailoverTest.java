package org.hasm.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.hasm.actors.central.CentralSystem;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.central.SeededFleet;
import org.hasm.actors.concentrator.CentralSystemLink.DeliverFrame;
import org.hasm.actors.concentrator.CentralSystemLink.FrameDelivered;
import org.hasm.actors.crypto.GcmFrameSealer;
import org.hasm.actors.crypto.InvocationCounter;
import org.hasm.actors.crypto.SystemTitle;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two central nodes in two child JVMs on one PostgreSQL journal. The test's node (a concentrator) delivers
 * readings of every meter; the second central node, which hosts some of the accounts, is then killed with
 * SIGKILL. The split-brain resolver downs it, its shards move to the survivor, the accounts recover from the
 * shared journal, and the next reading of every meter is taken over and counted after the two before it.
 */
class CentralFailoverTest {
    private static final long SEED = 11;
    private static final int METERS = 8;
    private static final long DAY0 = 1_767_225_600_000L; // 2026-01-01T00:00Z
    private static final long QUARTER = 900_000L;
    private static final java.time.Duration WAIT = NodeProcess.STARTUP;
    /** A delivery unconfirmed this long is sent again (failure detection and the resolver's 7 s come first). */
    private static final java.time.Duration RESEND_AFTER = java.time.Duration.ofSeconds(15);
    private static final int RESENDS = 8;

    @Test
    void whenOneOfTwoCentralNodesIsKilledItsAccountsMoveToTheSurvivorAndKeepTheirReadings(@TempDir Path dir) throws Exception {
        ActorTestKit testKit = null;
        try (EmbeddedPostgres pg = TestDatabases.startPostgres()) {
            Map<String, String> credentials = Map.of(JournalStore.ENV_USER, TestDatabases.USER,
                    JournalStore.ENV_PASSWORD, TestDatabases.PASSWORD);
            String[] central = {"--role", "central", "--port", "0", "--db", TestDatabases.url(pg),
                    "--meters", String.valueOf(METERS), "--seed-keys", String.valueOf(SEED)};
            try (NodeProcess first = NodeProcess.start(dir, "first", credentials, central);
                 NodeProcess second = NodeProcess.start(dir, "second", credentials, concat(central, "--seed", first.hostPort()))) {
                testKit = ActorTestKit.create(ClusterConfig.SYSTEM_NAME, ClusterConfig.node("127.0.0.1", 0,
                        List.of(ClusterConfig.CONCENTRATOR), List.of(first.hostPort()))
                        .withFallback(ConfigFactory.load("application-test")));
                CentralSystem.Handles handles = CentralLocator.locate(testKit.system(), List.of(), WAIT)
                        .toCompletableFuture().get(WAIT.toSeconds() + 10, TimeUnit.SECONDS);
                Map<String, GcmFrameSealer> meters = new TreeMap<>();
                SeededFleet fleet = new SeededFleet(SEED, METERS);
                for (int i = 0; i < METERS; i++) {
                    String id = SeededFleet.meterId(i);
                    meters.put(id, new GcmFrameSealer(fleet.apply(id).csSecurityKeys().channelKey(), SystemTitle.ofMeter(id),
                            InvocationCounter.fresh()));
                }
                TestProbe<FrameDelivered> delivered = testKit.createTestProbe(FrameDelivered.class);
                deliverReading(handles, meters, 0, delivered);
                deliverReading(handles, meters, 1, delivered);

                second.kill();
                // the split-brain resolver of the survivors downs it; until then the proxy buffers the next readings
                deliverReading(handles, meters, 2, delivered);
                TestProbe<MeterAccount.AccountView> view = testKit.createTestProbe(MeterAccount.AccountView.class);
                List<String> recovered = new ArrayList<>();
                for (String id : meters.keySet()) {
                    handles.accounts().tell(new ShardingEnvelope<>(id, new MeterAccount.GetAccount(view.getRef())));
                    MeterAccount.AccountView account = view.receiveMessage(WAIT);
                    assertEquals(id, account.meterId());
                    assertEquals(3, account.readings(), "two readings before the crash, one after, of " + id);
                    assertTrue(account.refusals().keySet().stream().allMatch("REPLAYED"::equals),
                            "nothing refused but second copies of a frame: " + account.refusals());
                    if (account.eventsReplayed() > 0) {
                        recovered.add(id); // it started again on the survivor from the shared journal
                    }
                }
                // shards were allocated to both central nodes, so some accounts lived on the killed one
                assertFalse(recovered.isEmpty(), "no account moved: the killed node hosted none");
                assertTrue(recovered.size() < METERS, "the survivor's own accounts stayed where they were: " + recovered);
                testKit.shutdownTestKit(); // leaves while the survivor is up; closing the nodes kills it and checks for orphans
                testKit = null;
            }
        } finally {
            if (testKit != null) {
                testKit.shutdownTestKit();
            }
        }
    }

    /**
     * Reading {@code k} of every meter, each taken over by the central system. Like a concentrator, it sends a
     * delivery again while it is unconfirmed: a frame sent to a node that has just died is lost, and only the
     * sender knows it is missing. The account refuses a second copy of a frame it already took as replayed.
     */
    private static void deliverReading(CentralSystem.Handles handles, Map<String, GcmFrameSealer> meters, int k,
                                       TestProbe<FrameDelivered> delivered) {
        Map<Long, DeliverFrame> unconfirmed = new TreeMap<>();
        long id = (long) k * METERS;
        for (Map.Entry<String, GcmFrameSealer> m : meters.entrySet()) {
            id++;
            unconfirmed.put(id, new DeliverFrame(id, m.getKey(),
                    CentralNodeProcessTest.reading(m.getValue(), DAY0 + k * QUARTER, 100 + k), delivered.getRef()));
        }
        for (int round = 0; !unconfirmed.isEmpty(); round++) {
            assertTrue(round < RESENDS, "still unconfirmed after " + RESENDS + " sends: " + unconfirmed.keySet());
            unconfirmed.values().forEach(handles.inbox()::tell);
            try {
                while (!unconfirmed.isEmpty()) {
                    unconfirmed.remove(delivered.receiveMessage(RESEND_AFTER).deliveryId());
                }
            } catch (AssertionError nothingWithin) {
                // the probe's way of saying nothing came within RESEND_AFTER: send what is missing again
            }
        }
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }
}
