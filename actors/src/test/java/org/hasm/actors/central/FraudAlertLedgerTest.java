package org.hasm.actors.central;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.hasm.actors.central.FraudAlertLedger.AlertRecorded;
import org.hasm.actors.link.CentralSystemLink.FraudAlert;
import org.hasm.actors.crypto.SignedFraudAlert;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.crypto.SimulationRandomness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The central system keeps every fraud alert a concentrator's link delivers; one that does not verify is kept as refused. */
class FraudAlertLedgerTest {
    private static final Duration INTERVAL = Duration.ofMinutes(15);
    private static final ActorTestKit testKit = ActorTestKit.create("alerts", ConfigFactory.load("application-test"));
    private static final SigningKeys concentratorKey = SigningKeys.generate(SimulationRandomness.seeded(5, "dc"));
    private static final SigningKeys forgerKey = SigningKeys.generate(SimulationRandomness.seeded(5, "forger"));

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static ActorRef<FraudAlertLedger.Command> ledger(String concentrator) {
        return testKit.spawn(FraudAlertLedger.create(new FraudAlertLedger.Settings(concentrator, concentratorKey.verifyingKey(), INTERVAL)));
    }

    private static AlertRecorded deliver(ActorRef<FraudAlertLedger.Command> ledger, String concentrator, byte[] wire) {
        TestProbe<AlertRecorded> recorded = testKit.createTestProbe(AlertRecorded.class);
        ledger.tell(new FraudAlertLedger.Receive(new FraudAlert(concentrator, wire), recorded.getRef()));
        return recorded.receiveMessage();
    }

    private static List<AlertRecorded> kept(String concentrator) {
        // a fresh incarnation replays the journal: what it holds was persisted
        ActorRef<FraudAlertLedger.Command> replayed = ledger(concentrator);
        TestProbe<FraudAlertLedger.Alerts> alerts = testKit.createTestProbe(FraudAlertLedger.Alerts.class);
        replayed.tell(new FraudAlertLedger.GetAlerts(alerts.getRef()));
        return alerts.receiveMessage().alerts();
    }

    @Test
    void aSignedAlertIsKeptWithItsWindowAndBytes() {
        ActorRef<FraudAlertLedger.Command> ledger = ledger("dc-a");
        long round = 1_767_286_800_000L / INTERVAL.toMillis();
        SignedFraudAlert alert = SignedFraudAlert.sign(concentratorKey, "dc-a", round, round + 3, 40_000, 37_000, 30_000);
        AlertRecorded r = deliver(ledger, "dc-a", alert.encode());
        assertTrue(r.verified(), r.reason());
        assertNull(r.reason());
        assertEquals(round * INTERVAL.toMillis(), r.fromTime());
        assertEquals((round + 4) * INTERVAL.toMillis(), r.toTime(), "the window ends with the last suspicious interval");
        assertEquals(40_000 - 37_000 - 40_000 * 30_000 / 1_000_000, r.gapWh());
        testKit.stop(ledger);
        List<AlertRecorded> kept = kept("dc-a");
        assertEquals(1, kept.size());
        assertArrayEquals(alert.encode(), kept.get(0).signedAlert());
        assertTrue(kept.get(0).verified());
    }

    @Test
    void aForgedAlertIsKeptAsRefused() {
        ActorRef<FraudAlertLedger.Command> ledger = ledger("dc-b");
        SignedFraudAlert forged = SignedFraudAlert.sign(forgerKey, "dc-b", 10, 12, 9_000, 1_000, 30_000);
        AlertRecorded r = deliver(ledger, "dc-b", forged.encode());
        assertFalse(r.verified());
        assertTrue(r.reason().contains("signature does not verify"), r.reason());
        assertEquals(10, r.fromRound(), "the figures it claimed are kept as evidence");

        byte[] tampered = SignedFraudAlert.sign(concentratorKey, "dc-b", 10, 12, 9_000, 1_000, 30_000).encode();
        tampered[tampered.length - 70] ^= 1; // a figure changed after signing
        assertFalse(deliver(ledger, "dc-b", tampered).verified());

        AlertRecorded otherLink = deliver(ledger, "dc-b", SignedFraudAlert.sign(concentratorKey, "dc-z", 10, 12, 9_000, 1_000, 30_000).encode());
        assertFalse(otherLink.verified(), "signed for another concentrator than the link it came on");
        assertTrue(otherLink.reason().contains("dc-z"), otherLink.reason());

        AlertRecorded garbage = deliver(ledger, "dc-b", new byte[] {1, 2, 3});
        assertFalse(garbage.verified());
        assertEquals("dc-b", garbage.concentratorId());
        testKit.stop(ledger);
        assertEquals(List.of(false, false, false, false), kept("dc-b").stream().map(AlertRecorded::verified).toList());
    }

    @Test
    void whoWaitsForTheAlertsIsAnsweredOnceTheLedgerHoldsThemAll() {
        ActorRef<FraudAlertLedger.Command> ledger = ledger("dc-c");
        TestProbe<FraudAlertLedger.Alerts> waiting = testKit.createTestProbe();
        ledger.tell(new FraudAlertLedger.GetAlertsOnceKept(2, waiting.getRef()));
        deliver(ledger, "dc-c", SignedFraudAlert.sign(concentratorKey, "dc-c", 10, 12, 9_000, 1_000, 30_000).encode());
        waiting.expectNoMessage(Duration.ofMillis(200)); // one of the two
        deliver(ledger, "dc-c", SignedFraudAlert.sign(concentratorKey, "dc-c", 20, 22, 9_000, 1_000, 30_000).encode());
        assertEquals(2, waiting.receiveMessage().alerts().size(), "answered once the second is persisted");
        testKit.stop(ledger);
    }
}
