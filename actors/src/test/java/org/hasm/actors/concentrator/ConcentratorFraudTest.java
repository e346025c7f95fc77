package org.hasm.actors.concentrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.hasm.actors.link.CentralSystemLink.AggregateReading;
import org.hasm.actors.link.CentralSystemLink.FraudAlert;
import org.hasm.actors.concentrator.DataConcentrator.CloseInterval;
import org.hasm.actors.concentrator.DataConcentrator.FeederReading;
import org.hasm.actors.concentrator.DataConcentrator.Settings;
import org.hasm.actors.crypto.SignedFraudAlert;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.crypto.ZeroSumMasking;
import org.hasm.actors.meter.MeterSignals.AggregationRound;
import org.hasm.actors.meter.MeterSignals.AggregationShare;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fraud detection: a feeder meter measures what truly flows, the meters' aggregate says what was metered.
 * The feeder's readings pass through a probe on their way to the concentrator, so the test knows when an
 * interval has been judged without waiting on the clock.
 */
class ConcentratorFraudTest {
    private static final ActorTestKit testKit = ActorTestKit.create();
    private static final long ROUND0 = 1_963_008;
    private static final int METERS = 8;
    private static final double LOSSES = 0.03;
    private static final int ALERT_AFTER = 3;

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    /** One neighbourhood of eight households behind one feeder. */
    private static final class Neighbourhood {
        final ZeroSumMasking scheme = ZeroSumMasking.generateGroup(METERS, ConcentratorHarness.random("fraud group"));
        final ConcentratorHarness h;
        final List<String> ids;
        final ActorRef<FeederMeter.Command> feeder;
        final TestProbe<FeederReading> feederOut = testKit.createTestProbe();

        Neighbourhood(String id, double actualLosses) {
            h = new ConcentratorHarness(testKit).start(Settings.defaults(id).withMinimumGroupSize(5)
                    .withFraudDetection(LOSSES, 0.02, ALERT_AFTER), List.of(AggregationGroup.zeroSum("g", scheme)));
            ids = h.attachGroup("g", METERS);
            feeder = testKit.spawn(FeederMeter.create("feeder-" + id, actualLosses, feederOut.ref()));
        }

        static long trueWh(int meter, int k) {
            return 180 + 15L * meter + (k * 37L + meter * 11L) % 60;
        }

        /**
         * Interval {@code k}: every household draws its energy through the feeder; {@code thief} meters report
         * 30 % less; {@code missing} meters send no share.
         */
        AggregateReading interval(int k, Set<Integer> thieves, Set<Integer> missing) {
            long round = ROUND0 + k;
            for (int i = 0; i < METERS; i++) {
                long wh = trueWh(i, k);
                feeder.tell(new FeederMeter.EnergyFlow(round, wh));
                if (!missing.contains(i)) {
                    long reported = thieves.contains(i) ? Math.round(wh * 0.7) : wh;
                    h.send(ids.get(i), new AggregationShare(ids.get(i), i, false, scheme.meter(i).share(round, reported)));
                }
            }
            if (!missing.isEmpty()) {
                h.concentrator.tell(new CloseInterval(round));
                for (int i = 0; i < METERS; i++) {
                    if (!missing.contains(i)) {
                        assertEquals(new AggregationRound(round, missing), h.nextToMeter(ids.get(i), AggregationRound.class));
                        h.send(ids.get(i), new AggregationShare(ids.get(i), i, true, scheme.meter(i).recoveryShare(round, missing)));
                    }
                }
            }
            AggregateReading aggregate = (AggregateReading) h.aggregates.receiveMessage();
            feeder.tell(new FeederMeter.EndOfInterval(round));
            h.concentrator.tell(feederOut.receiveMessage());
            return aggregate;
        }
    }

    @Test
    void theFeederReportsWhatFlowedPlusTheNetworkLosses() {
        TestProbe<FeederReading> out = testKit.createTestProbe();
        ActorRef<FeederMeter.Command> feeder = testKit.spawn(FeederMeter.create("f", 0.04, out.ref()));
        feeder.tell(new FeederMeter.EnergyFlow(5, 600));
        feeder.tell(new FeederMeter.EnergyFlow(6, 1));
        feeder.tell(new FeederMeter.EnergyFlow(5, 360));
        feeder.tell(new FeederMeter.EndOfInterval(5));
        assertEquals(new FeederReading("f", 5, 1_000), out.receiveMessage());
    }

    @Test
    void aMeterUnderReportingByThirtyPercentIsReportedWithinNIntervals() {
        Neighbourhood n = new Neighbourhood("dc-theft", LOSSES);
        for (int k = 0; k < ALERT_AFTER - 1; k++) {
            n.interval(k, Set.of(3), Set.of());
        }
        DataConcentrator.Statistics before = n.h.statistics();
        assertEquals(ALERT_AFTER - 1, before.intervalsSuspicious());
        assertEquals(0, before.alerts());
        n.h.alerts.expectNoMessage(Duration.ZERO);

        n.interval(ALERT_AFTER - 1, Set.of(3), Set.of());
        FraudAlert alert = n.h.alerts.receiveMessage();
        SignedFraudAlert signed = SignedFraudAlert.decode(alert.signedAlert()).orElseThrow();
        assertTrue(signed.verifies(n.h.alertKey.verifyingKey()));
        assertEquals("dc-theft", signed.concentratorId());
        assertEquals(ROUND0, signed.fromRound());
        assertEquals(ROUND0 + ALERT_AFTER - 1, signed.toRound());
        assertEquals(30_000, signed.lossesPpm());
        assertTrue(signed.feederWh() * (1 - LOSSES) - signed.aggregateWh() > 0.02 * signed.feederWh(), signed.toString());
    }

    @Test
    void anHonestNeighbourhoodWithAMissingMeterRaisesNoAlarm() {
        // the network loses a little more than the concentrator allows for: still within the threshold
        Neighbourhood n = new Neighbourhood("dc-honest", 0.035);
        for (int k = 0; k < 10; k++) {
            Set<Integer> missing = k == 5 || k == 6 ? Set.of(6) : Set.of();
            AggregateReading aggregate = n.interval(k, Set.of(), missing);
            long present = 0;
            for (int i = 0; i < METERS; i++) {
                present += missing.contains(i) ? 0 : Neighbourhood.trueWh(i, k);
            }
            assertEquals(present, aggregate.totalWh(), "interval " + k + " is exact over the present meters");
        }
        DataConcentrator.Statistics s = n.h.statistics();
        assertEquals(8, s.intervalsHonest());
        assertEquals(2, s.intervalsInconclusive());
        assertEquals(0, s.intervalsSuspicious());
        assertEquals(0, s.alerts());
        n.h.alerts.expectNoMessage(Duration.ZERO);
    }

    @Test
    void aMissingMeterNeitherHidesNorFakesAStreak() {
        Neighbourhood n = new Neighbourhood("dc-theft-gap", LOSSES);
        n.interval(0, Set.of(3), Set.of());
        n.interval(1, Set.of(3), Set.of(6));
        n.interval(2, Set.of(3), Set.of());
        assertEquals(0, n.h.statistics().alerts(), "only two judged intervals so far");
        n.interval(3, Set.of(3), Set.of());
        SignedFraudAlert signed = SignedFraudAlert.decode(n.h.alerts.receiveMessage().signedAlert()).orElseThrow();
        assertEquals(ROUND0 + 3, signed.toRound());
    }

    @Test
    void anAlertVerifiesOnlyUntouchedAndUnderTheConcentratorsKey() {
        SigningKeys key = SigningKeys.generate(ConcentratorHarness.random("alert signing"));
        SignedFraudAlert alert = SignedFraudAlert.sign(key, "dc-1", 10, 13, 8_000, 7_200, 30_000);
        byte[] wire = alert.encode();
        assertEquals(alert, SignedFraudAlert.decode(wire).orElseThrow());
        assertTrue(SignedFraudAlert.decode(wire).orElseThrow().verifies(key.verifyingKey()));

        Set<String> verdicts = new HashSet<>();
        List<Integer> changedAt = new ArrayList<>();
        for (int i = 0; i < wire.length; i++) {
            byte[] tampered = wire.clone();
            tampered[i] ^= 0x01;
            boolean accepted = SignedFraudAlert.decode(tampered).map(a -> a.verifies(key.verifyingKey())).orElse(false);
            if (accepted) {
                changedAt.add(i);
            }
            verdicts.add(SignedFraudAlert.decode(tampered).isPresent() ? "decoded" : "malformed");
        }
        assertEquals(List.of(), changedAt, "no single-bit change survives verification");
        assertTrue(verdicts.contains("decoded"), "some changes decode and are caught by the signature alone");
        SigningKeys other = SigningKeys.generate(ConcentratorHarness.random("another concentrator"));
        assertFalse(alert.verifies(other.verifyingKey()));
    }
}
