package org.hasm.actors.concentrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.hasm.actors.link.CentralSystemLink.AggregateRead;
import org.hasm.actors.link.CentralSystemLink.AggregateReading;
import org.hasm.actors.link.CentralSystemLink.AggregateWithheld;
import org.hasm.actors.link.CentralSystemLink.CombinedShare;
import org.hasm.actors.concentrator.DataConcentrator.CloseInterval;
import org.hasm.actors.concentrator.DataConcentrator.Settings;
import org.hasm.actors.crypto.AggregationScheme;
import org.hasm.actors.crypto.PaillierAggregation;
import org.hasm.actors.crypto.PaillierKeyPair;
import org.hasm.actors.crypto.Share;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.crypto.ZeroSumMasking;
import org.hasm.actors.meter.MeterSignals.AggregationRound;
import org.hasm.actors.meter.MeterSignals.AggregationShare;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.hasm.actors.link.CentralSystemLink;

/** Aggregation per group and round: exact sums with missing meters, and nothing over fewer than k meters (P14). */
class ConcentratorAggregationTest {
    private static final ActorTestKit testKit = ActorTestKit.create();
    private static final long ROUND = 1_963_008;

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static void sendShare(ConcentratorHarness h, List<String> ids, AggregationScheme scheme, int i, long reading) {
        h.send(ids.get(i), new AggregationShare(ids.get(i), i, false, scheme.meter(i).share(ROUND, reading)));
    }

    /** Every present meter is asked for a recovery share for exactly the missing ones, and answers. */
    private static void recover(ConcentratorHarness h, List<String> ids, AggregationScheme scheme, Set<Integer> present,
                                Set<Integer> missing) {
        for (int i : present) {
            AggregationRound ask = h.nextToMeter(ids.get(i), AggregationRound.class);
            assertEquals(new AggregationRound(ROUND, missing), ask);
            h.send(ids.get(i), new AggregationShare(ids.get(i), i, true, scheme.meter(i).recoveryShare(ROUND, missing)));
        }
    }

    @Test
    void aGroupSmallerThanTheMinimumIsRefusedAtOnce() {
        ZeroSumMasking scheme = ZeroSumMasking.generateGroup(3, ConcentratorHarness.random("small group"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataConcentrator.create(
                Settings.defaults("dc").withMinimumGroupSize(4),
                SigningKeys.generate(ConcentratorHarness.random("alert key")), List.of(AggregationGroup.zeroSum("g", scheme)),
                new DataConcentrator.Links(testKit.<CentralSystemLink.DeliverFrame>createTestProbe().ref(),
                        testKit.<CentralSystemLink.Aggregate>createTestProbe().ref(),
                        testKit.<CentralSystemLink.FraudAlert>createTestProbe().ref(),
                        testKit.<DataConcentrator.IntakeNotice>createTestProbe().ref())));
        assertEquals("group g has 3 meters, fewer than the minimum group size 4 (P14)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Settings.defaults("dc").withMinimumGroupSize(1));
    }

    @Test
    void fewerThanKMetersGiveNoAggregateAndNoRecovery() {
        ZeroSumMasking scheme = ZeroSumMasking.generateGroup(5, ConcentratorHarness.random("p14 group"));
        ConcentratorHarness h = new ConcentratorHarness(testKit)
                .start(Settings.defaults("dc-p14").withMinimumGroupSize(3), List.of(AggregationGroup.zeroSum("g", scheme)));
        List<String> ids = h.attachGroup("g", 5);
        sendShare(h, ids, scheme, 0, 310);
        sendShare(h, ids, scheme, 4, 120);
        h.concentrator.tell(new CloseInterval(ROUND));

        AggregateWithheld withheld = (AggregateWithheld) h.aggregates.receiveMessage();
        assertEquals(2, withheld.contributors());
        assertTrue(withheld.reason().contains("minimum group size 3"), withheld.reason());
        // a recovery over two meters would let the concentrator subtract its way to a single reading
        h.meterSide(ids.get(0)).expectNoMessage(Duration.ZERO);
        h.meterSide(ids.get(4)).expectNoMessage(Duration.ZERO);
        DataConcentrator.Statistics s = h.statistics();
        assertEquals(0, s.recoveryRequests());
        assertEquals(0, s.aggregatesPublished());
        assertEquals(1, s.aggregatesWithheld());
    }

    @Test
    void aCompleteZeroSumRoundIsPublishedWithoutWaitingForTheClock() {
        ZeroSumMasking scheme = ZeroSumMasking.generateGroup(4, ConcentratorHarness.random("full group"));
        ConcentratorHarness h = new ConcentratorHarness(testKit)
                .start(Settings.defaults("dc-full-round").withMinimumGroupSize(3), List.of(AggregationGroup.zeroSum("g", scheme)));
        List<String> ids = h.attachGroup("g", 4);
        long[] readings = {250, 0, 1_700, 42};
        for (int i = 0; i < readings.length; i++) {
            sendShare(h, ids, scheme, i, readings[i]);
        }
        assertEquals(new AggregateReading("dc-full-round", "g", ROUND, 4, 4, 1_992), h.aggregates.receiveMessage());
    }

    @Test
    void zeroSumStaysExactWithAMissingMeterAndDiscardsItsLateShare() {
        ZeroSumMasking scheme = ZeroSumMasking.generateGroup(5, ConcentratorHarness.random("zero-sum group"));
        ConcentratorHarness h = new ConcentratorHarness(testKit)
                .start(Settings.defaults("dc-zs").withMinimumGroupSize(3), List.of(AggregationGroup.zeroSum("g", scheme)));
        List<String> ids = h.attachGroup("g", 5);
        long[] readings = {310, 95, 1_210, 777, 64};
        for (int i : List.of(0, 1, 2, 4)) {
            sendShare(h, ids, scheme, i, readings[i]);
        }
        h.concentrator.tell(new CloseInterval(ROUND));
        recover(h, ids, scheme, Set.of(0, 1, 2, 4), Set.of(3));

        assertEquals(new AggregateReading("dc-zs", "g", ROUND, 4, 5, 310 + 95 + 1_210 + 64), h.aggregates.receiveMessage());
        sendShare(h, ids, scheme, 3, readings[3]);
        assertEquals(1, h.statistics().lateShares());
        h.aggregates.expectNoMessage(Duration.ZERO);
    }

    @Test
    void paillierStaysExactWithAMissingMeterAndOnlyTheKeyHolderReadsIt() {
        PaillierKeyPair keys = PaillierKeyPair.generate(ConcentratorHarness.random("paillier keys"));
        PaillierAggregation meters = PaillierAggregation.withKeyHolder(keys, 3, ConcentratorHarness.random("paillier meters"));
        PaillierAggregation concentratorSide = PaillierAggregation.withoutKeyHolder(keys.publicKey(), 3,
                ConcentratorHarness.random("paillier concentrator"));
        ConcentratorHarness h = new ConcentratorHarness(testKit)
                .start(Settings.defaults("dc-paillier").withMinimumGroupSize(2),
                        List.of(AggregationGroup.paillier("p", concentratorSide)));
        List<String> ids = h.attachGroup("p", 3);
        sendShare(h, ids, meters, 0, 1_500);
        sendShare(h, ids, meters, 2, 275);
        h.concentrator.tell(new CloseInterval(ROUND));
        recover(h, ids, meters, Set.of(0, 2), Set.of(1));

        CombinedShare combined = (CombinedShare) h.aggregates.receiveMessage();
        assertEquals(2, combined.contributors());
        assertEquals(ROUND, combined.round());
        long total = meters.reader().total(new Share.Encrypted(ROUND, combined.ciphertext()));
        assertEquals(1_775, total);
        combined.replyTo().tell(new AggregateRead("p", ROUND, total));
        DataConcentrator.Statistics s = h.statistics();
        assertEquals(1, s.aggregatesPublished());
        assertEquals(0, s.strayMessages(), "the reader's answer matched the round it was asked about");
    }

    @Test
    void aShareClaimingAnotherMetersPlaceIsIgnored() {
        ZeroSumMasking scheme = ZeroSumMasking.generateGroup(3, ConcentratorHarness.random("stray group"));
        ConcentratorHarness h = new ConcentratorHarness(testKit)
                .start(Settings.defaults("dc-stray").withMinimumGroupSize(2), List.of(AggregationGroup.zeroSum("g", scheme)));
        List<String> ids = h.attachGroup("g", 3);
        h.send(ids.get(0), new AggregationShare(ids.get(0), 1, false, scheme.meter(1).share(ROUND, 10)));
        DataConcentrator.Statistics s = h.statistics();
        assertEquals(1, s.strayMessages());
    }
}
