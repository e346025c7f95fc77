package org.hasm.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.ConfigFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.typed.Cluster;
import org.hasm.actors.central.CentralSystem;
import org.hasm.actors.central.FraudAlertLedger;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.central.OperatorGateway;
import org.hasm.actors.fleet.SeededFleet;
import org.hasm.actors.link.CentralSystemLink.DeliverFrame;
import org.hasm.actors.link.CentralSystemLink.FraudAlert;
import org.hasm.actors.link.CentralSystemLink.FrameDelivered;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.crypto.GcmFrameSealer;
import org.hasm.actors.crypto.InvocationCounter;
import org.hasm.actors.crypto.OperatorSigning.BulkRequest;
import org.hasm.actors.crypto.SystemTitle;
import org.hasm.actors.fleet.NeighbourhoodPlan;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hasm.actors.link.ClusterSettings;
import org.hasm.actors.central.CentralLocator;

/**
 * Two central nodes in two child JVMs on one PostgreSQL journal, and the test's own node as a concentrator.
 * The test delivers readings of every meter, kills one central node with SIGKILL, and delivers the next: the
 * split-brain resolver downs the dead node, its shards move to the survivor, the accounts recover from the
 * shared journal, and every account counts the reading after the crash after the two before it. Killing the
 * oldest node also moves the shard coordinator and the singletons (operator gateway, fraud-alert ledger).
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
    void whenTheYoungerOfTwoCentralNodesIsKilledItsAccountsMoveToTheOldestAndKeepTheirReadings(@TempDir Path dir)
            throws Exception {
        withTwoCentralNodes(dir, nodes -> {
            nodes.deliverReading(0);
            nodes.deliverReading(1);
            nodes.second.kill();
            // the split-brain resolver of the survivors downs it; until then the proxy buffers the next readings
            nodes.deliverReading(2);
            nodes.assertEveryAccountHasThreeReadingsSomeRecovered();
        });
    }

    @Test
    void whenTheOldestCentralNodeIsKilledTheSurvivorTakesOverAccountsCoordinatorAndSingletons(@TempDir Path dir)
            throws Exception {
        withTwoCentralNodes(dir, nodes -> {
            // the node killed is the one holding the shard coordinator and the singletons
            assertEquals(ClusterSettings.seedAddress(nodes.first.hostPort()), nodes.oldestCentral(),
                    "the first central node started is the oldest");
            nodes.deliverReading(0);
            nodes.deliverReading(1);
            // something on each singleton's journal, so that the survivor has to recover it
            String requestId = "before-the-oldest-died";
            TestProbe<OperatorGateway.AttemptOutcome> outcome = nodes.testKit.createTestProbe(OperatorGateway.AttemptOutcome.class);
            nodes.handles.gateway().tell(new OperatorGateway.RequestBulk(new BulkRequest("nobody", requestId, 0,
                    CommandKind.SWITCH_OFF, List.of(SeededFleet.meterId(0)), new byte[0]), outcome.getRef()));
            assertEquals(OperatorGateway.Outcome.REFUSED, outcome.receiveMessage(WAIT).outcome(), "an unknown operator");
            byte[] alert = ("an alert the ledger took before the oldest died, seed " + SEED).getBytes(StandardCharsets.UTF_8);
            TestProbe<FraudAlertLedger.AlertRecorded> recorded = nodes.testKit.createTestProbe(FraudAlertLedger.AlertRecorded.class);
            nodes.ledger().tell(new FraudAlertLedger.Receive(new FraudAlert(NeighbourhoodPlan.CONCENTRATOR, alert), recorded.getRef()));
            assertFalse(recorded.receiveMessage(WAIT).verified(), "not a signed alert");

            nodes.first.kill();
            nodes.deliverReading(2);
            nodes.assertEveryAccountHasThreeReadingsSomeRecovered();
            assertEquals(ClusterSettings.seedAddress(nodes.second.hostPort()), nodes.oldestCentral(), "the survivor is the oldest now");

            OperatorGateway.Status status = nodes.askUntilAnswered(OperatorGateway.Status.class,
                    replyTo -> nodes.handles.gateway().tell(new OperatorGateway.GetStatus(replyTo)));
            assertTrue(status.attempts().stream().anyMatch(a -> a.requestId().equals(requestId)
                            && a.outcome() == OperatorGateway.Outcome.REFUSED),
                    "the gateway on the survivor recovered the attempt made before the crash: " + status.attempts());
            FraudAlertLedger.Alerts alerts = nodes.askUntilAnswered(FraudAlertLedger.Alerts.class,
                    replyTo -> nodes.ledger().tell(new FraudAlertLedger.GetAlerts(replyTo)));
            assertTrue(alerts.alerts().stream().anyMatch(a -> Arrays.equals(alert, a.signedAlert()) && !a.verified()),
                    "the ledger on the survivor recovered the alert taken before the crash");
        });
    }

    private interface Scenario {
        void run(TwoCentralNodes nodes) throws Exception;
    }

    /**
     * An embedded PostgreSQL, two central nodes on it (the second joined through the first) and the test's
     * node, of role concentrator, joined through both: a node keeps the cluster it is in whichever seed dies.
     */
    private static void withTwoCentralNodes(Path dir, Scenario scenario) throws Exception {
        ActorTestKit testKit = null;
        try (EmbeddedPostgres pg = TestDatabases.startPostgres()) {
            Map<String, String> credentials = Map.of(JournalStore.ENV_USER, TestDatabases.USER,
                    JournalStore.ENV_PASSWORD, TestDatabases.PASSWORD);
            String[] central = {"--role", "central", "--port", "0", "--db", TestDatabases.url(pg),
                    "--meters", String.valueOf(METERS), "--seed-keys", String.valueOf(SEED)};
            try (NodeProcess first = NodeProcess.start(dir, "first", credentials, central);
                 NodeProcess second = NodeProcess.start(dir, "second", credentials, concat(central, "--seed", first.hostPort()))) {
                testKit = ActorTestKit.create(ClusterSettings.SYSTEM_NAME, ClusterSettings.node("127.0.0.1", 0,
                        List.of(ClusterSettings.CONCENTRATOR), List.of(first.hostPort(), second.hostPort()))
                        .withFallback(ConfigFactory.load("application-test")));
                CentralSystem.Handles handles = CentralLocator.locate(testKit.system(), List.of(NeighbourhoodPlan.CONCENTRATOR), WAIT)
                        .toCompletableFuture().get(WAIT.toSeconds() + 10, TimeUnit.SECONDS);
                scenario.run(new TwoCentralNodes(first, second, testKit, handles));
                testKit.shutdownTestKit(); // leaves while the survivor is up; closing the nodes kills it and checks for orphans
                testKit = null;
            }
        } finally {
            if (testKit != null) {
                testKit.shutdownTestKit();
            }
        }
    }

    private static final class TwoCentralNodes {
        final NodeProcess first;
        final NodeProcess second;
        final ActorTestKit testKit;
        final CentralSystem.Handles handles;
        final Map<String, GcmFrameSealer> meters = new TreeMap<>();
        final TestProbe<FrameDelivered> delivered;

        TwoCentralNodes(NodeProcess first, NodeProcess second, ActorTestKit testKit, CentralSystem.Handles handles) {
            this.first = first;
            this.second = second;
            this.testKit = testKit;
            this.handles = handles;
            SeededFleet fleet = new SeededFleet(SEED, METERS);
            for (int i = 0; i < METERS; i++) {
                String id = SeededFleet.meterId(i);
                meters.put(id, new GcmFrameSealer(fleet.apply(id).csSecurityKeys().channelKey(), SystemTitle.ofMeter(id),
                        InvocationCounter.fresh()));
            }
            delivered = testKit.createTestProbe(FrameDelivered.class);
        }

        ActorRef<FraudAlertLedger.Command> ledger() {
            return handles.fraudAlerts().get(NeighbourhoodPlan.CONCENTRATOR);
        }

        /** The address of the oldest central node that is up, as the test's node sees the cluster. */
        String oldestCentral() {
            return StreamSupport.stream(Cluster.get(testKit.system()).state().getMembers().spliterator(), false)
                    .filter(m -> m.hasRole(ClusterSettings.CENTRAL) && m.status() == MemberStatus.up())
                    .reduce((a, b) -> a.isOlderThan(b) ? a : b)
                    .map(Member::address).map(Object::toString).orElse("no central node is up");
        }

        /**
         * Reading {@code k} of every meter, each taken over by the central system. Like a concentrator, it sends a
         * delivery again while it is unconfirmed: a frame sent to a node that has just died is lost, and only the
         * sender knows it is missing. The account refuses a second copy of a frame it already took as replayed.
         */
        void deliverReading(int k) {
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

        /** A question to a singleton, asked again while unanswered: one asked through the dead node is lost. */
        <T> T askUntilAnswered(Class<T> answer, Consumer<ActorRef<T>> ask) {
            TestProbe<T> probe = testKit.createTestProbe(answer);
            for (int round = 0; round < RESENDS; round++) {
                ask.accept(probe.getRef());
                try {
                    return probe.receiveMessage(RESEND_AFTER);
                } catch (AssertionError nothingWithin) {
                    // ask again
                }
            }
            return fail("no " + answer.getSimpleName() + " after " + RESENDS + " questions");
        }

        /** Three readings in every account; some accounts lived on the killed node and started again on the survivor. */
        void assertEveryAccountHasThreeReadingsSomeRecovered() {
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
        }
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }
}
