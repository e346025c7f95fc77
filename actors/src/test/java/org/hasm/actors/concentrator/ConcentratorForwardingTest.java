package org.hasm.actors.concentrator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.link.CentralSystemLink.DeliverFrame;
import org.hasm.actors.link.SecurityModule;
import org.hasm.actors.link.CentralSystemLink.FrameForMeter;
import org.hasm.actors.concentrator.DataConcentrator.FrameRefused;
import org.hasm.actors.concentrator.DataConcentrator.IntakePaused;
import org.hasm.actors.concentrator.DataConcentrator.IntakeResumed;
import org.hasm.actors.concentrator.DataConcentrator.Settings;
import org.hasm.actors.concentrator.DataConcentrator.Tampering;
import org.hasm.actors.crypto.Opened;
import org.hasm.actors.crypto.ZeroSumMasking;
import org.hasm.actors.meter.MeterSignals.FrameFromCentralSystem;
import org.hasm.actors.meter.MeterSignals.SwitchCommandFrame;
import org.hasm.actors.meter.MeterSignals.SwitchReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.hasm.actors.link.CentralSystemLink;

/** Store and forward: credits, a bounded queue, explicit refusals, the downlink, and a tampering concentrator. */
class ConcentratorForwardingTest {
    // every message sent in these tests goes through its serializer, as it would between nodes (docs/cluster.md);
    // the meters' Envelopes are exempt, being in-process by design
    private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.parseString("pekko.actor.serialize-messages = on")
            .withFallback(ConfigFactory.load("application-test")));

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private ConcentratorHarness started(Settings settings) {
        ConcentratorHarness h = new ConcentratorHarness(testKit)
                .start(settings.withMinimumGroupSize(2), List.of(AggregationGroup.zeroSum("a",
                        ZeroSumMasking.generateGroup(2, ConcentratorHarness.random("group a")))));
        h.attachGroup("a", 2);
        return h;
    }

    @Test
    void aSlowCentralSystemPausesIntakeAndLosesNothingInOrder() {
        ConcentratorHarness h = started(Settings.defaults("dc-slow").withQueue(2, 10, 6, 2));
        ProvisionedMeter meter = h.provisioning.provision("a/0");
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(h.sendFrame(meter, "reading " + i));
        }
        // the central system has not confirmed anything: two frames out, eight waiting, intake paused at six
        List<DeliverFrame> unconfirmed = List.of(h.central.receiveMessage(), h.central.receiveMessage());
        assertEquals(new IntakePaused("dc-slow", 6), h.intake.receiveMessage());
        DataConcentrator.Statistics waiting = h.statistics();
        assertEquals(2, waiting.inFlight());
        assertEquals(8, waiting.queued());
        assertTrue(waiting.intakePaused());
        h.central.expectNoMessage(Duration.ZERO);

        List<DeliverFrame> delivered = new ArrayList<>(unconfirmed);
        unconfirmed.forEach(h::confirm);
        while (delivered.size() < sent.size()) {
            DeliverFrame d = h.central.receiveMessage();
            delivered.add(d);
            h.confirm(d);
        }
        assertEquals(new IntakeResumed("dc-slow", 2), h.intake.receiveMessage());
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), delivered.get(i).frame(), "frame " + i + " out of order or changed");
            assertEquals("a/0", delivered.get(i).meterId());
        }
        DataConcentrator.Statistics after = h.statistics();
        assertEquals(10, after.framesReceived());
        assertEquals(10, after.framesDelivered());
        assertEquals(0, after.framesRefused());
        assertEquals(0, after.queued() + after.inFlight());
    }

    @Test
    void whoAsksForTheStatisticsOnceDrainedIsAnsweredOnlyWhenTheLastFrameIsConfirmed() {
        ConcentratorHarness h = started(Settings.defaults("dc-drained").withQueue(1, 10, 6, 2));
        ProvisionedMeter meter = h.provisioning.provision("a/0");
        h.sendFrame(meter, "reading 0");
        h.sendFrame(meter, "reading 1");
        DeliverFrame first = h.central.receiveMessage();
        TestProbe<DataConcentrator.Statistics> waiting = testKit.createTestProbe();
        h.concentrator.tell(new DataConcentrator.GetStatisticsWhenDrained(waiting.getRef()));
        waiting.expectNoMessage(Duration.ofMillis(200)); // one frame unconfirmed, one queued

        h.confirm(first);
        DeliverFrame second = h.central.receiveMessage();
        waiting.expectNoMessage(Duration.ofMillis(200)); // the queued one is out now, unconfirmed
        h.confirm(second);
        DataConcentrator.Statistics drained = waiting.receiveMessage();
        assertEquals(0, drained.queued());
        assertEquals(0, drained.inFlight());
        assertEquals(2, drained.framesDelivered());

        h.concentrator.tell(new DataConcentrator.GetStatisticsWhenDrained(waiting.getRef()));
        assertEquals(0, waiting.receiveMessage().inFlight(), "drained already: answered at once");
    }

    @Test
    void aFrameFindingTheQueueFullIsRefusedOutLoud() {
        ConcentratorHarness h = started(Settings.defaults("dc-full").withQueue(1, 3, 3, 1));
        ProvisionedMeter meter = h.provisioning.provision("a/1");
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(h.sendFrame(meter, "event " + i));
        }
        assertEquals(new IntakePaused("dc-full", 3), h.intake.receiveMessage());
        assertEquals(new FrameRefused("dc-full", "a/1", 1), h.intake.receiveMessage());
        assertEquals(1, h.statistics().framesRefused());

        List<DeliverFrame> delivered = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            DeliverFrame d = h.central.receiveMessage();
            delivered.add(d);
            h.confirm(d);
        }
        assertEquals(new IntakeResumed("dc-full", 1), h.intake.receiveMessage());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(sent.get(i), delivered.get(i).frame());
        }
        DataConcentrator.Statistics after = h.statistics();
        assertEquals(5, after.framesReceived());
        assertEquals(after.framesReceived(), after.framesDelivered() + after.framesRefused(), "every frame accounted for");
        h.central.expectNoMessage(Duration.ZERO);
    }

    @Test
    void switchReportsTravelTheSameWay() {
        ConcentratorHarness h = started(Settings.defaults("dc-report"));
        ProvisionedMeter meter = h.provisioning.provision("a/0");
        byte[] report = h.sealedFrame(meter, "switched off");
        h.send("a/0", new SwitchReport(report));
        DeliverFrame d = h.central.receiveMessage();
        assertArrayEquals(report, d.frame());
        assertEquals("a/0", d.meterId());
    }

    @Test
    void framesFromTheCentralSystemReachTheAddressedMeter() {
        ConcentratorHarness h = started(Settings.defaults("dc-down"));
        byte[] command = {1, 2, 3};
        byte[] switchCommand = {4, 5, 6};
        h.concentrator.tell(new FrameForMeter("a/1", SecurityModule.CS_SECURITY, command, 0));
        h.concentrator.tell(new FrameForMeter("a/0", SecurityModule.OFF_SWITCH_SECURITY, switchCommand, 0));
        h.concentrator.tell(new FrameForMeter("nobody", SecurityModule.OFF_SWITCH_SECURITY, switchCommand, 0));
        assertArrayEquals(command, h.nextToMeter("a/1", FrameFromCentralSystem.class).bytes());
        assertArrayEquals(switchCommand, h.nextToMeter("a/0", SwitchCommandFrame.class).bytes());
        DataConcentrator.Statistics s = h.statistics();
        assertEquals(2, s.framesToMeters());
        assertEquals(1, s.strayMessages());
    }

    @Test
    void theCentralSystemOpensWhatAnHonestConcentratorForwards() {
        ConcentratorHarness h = started(Settings.defaults("dc-honest"));
        ProvisionedMeter meter = h.provisioning.provision("a/0");
        h.sendFrame(meter, "one");
        h.sendFrame(meter, "two");
        assertInstanceOf(Opened.Ok.class, meter.openFromMeter(h.central.receiveMessage().frame()));
        assertInstanceOf(Opened.Ok.class, meter.openFromMeter(h.central.receiveMessage().frame()));
    }

    @Test
    void theCentralSystemRefusesFramesAConcentratorEdited() {
        ConcentratorHarness h = started(Settings.defaults("dc-edit").withTampering(Tampering.EDIT));
        ProvisionedMeter meter = h.provisioning.provision("a/0");
        byte[] original = h.sendFrame(meter, "1234 Wh");
        DeliverFrame d = h.central.receiveMessage();
        assertTrue(!java.util.Arrays.equals(original, d.frame()), "the tampering concentrator changed the frame");
        assertEquals(new Opened.Refused(Opened.Reason.BAD_TAG), meter.openFromMeter(d.frame()));
    }

    @Test
    void theCentralSystemRefusesFramesAConcentratorReplayed() {
        ConcentratorHarness h = started(Settings.defaults("dc-replay").withTampering(Tampering.REPLAY));
        ProvisionedMeter meter = h.provisioning.provision("a/0");
        h.sendFrame(meter, "one");
        h.sendFrame(meter, "two");
        List<Opened> verdicts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            verdicts.add(meter.openFromMeter(h.central.receiveMessage().frame()));
        }
        assertInstanceOf(Opened.Ok.class, verdicts.get(0));
        assertEquals(new Opened.Refused(Opened.Reason.REPLAYED), verdicts.get(1));
        assertInstanceOf(Opened.Ok.class, verdicts.get(2));
        assertEquals(new Opened.Refused(Opened.Reason.REPLAYED), verdicts.get(3));
    }

    @Test
    void aConcentratorTurnedTamperingEditsOnlyTheFramesItWasToldOf() {
        ConcentratorHarness h = started(Settings.defaults("dc-turned"));
        ProvisionedMeter meter = h.provisioning.provision("a/0");
        h.sendFrame(meter, "honest");
        h.concentrator.tell(new DataConcentrator.StartTampering(Tampering.EDIT, 2));
        for (String text : List.of("edited", "edited too", "honest again")) {
            h.sendFrame(meter, text);
        }
        List<Opened> verdicts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            verdicts.add(meter.openFromMeter(h.central.receiveMessage().frame()));
        }
        assertInstanceOf(Opened.Ok.class, verdicts.get(0));
        assertEquals(new Opened.Refused(Opened.Reason.BAD_TAG), verdicts.get(1));
        assertEquals(new Opened.Refused(Opened.Reason.BAD_TAG), verdicts.get(2));
        assertInstanceOf(Opened.Ok.class, verdicts.get(3));
    }

    /**
     * The tampering-concentrator scenario's second turn came while the first still had frames to edit (the
     * central system had confirmed nothing for a while): the replay turn cancelled the edits and the scenario
     * saw 20 tampered frames instead of 40. Each turn now runs to its count, and a frame gets one of them.
     */
    @Test
    void aSecondTamperingTurnDoesNotCancelAFirstStillUnderWay() {
        ConcentratorHarness h = started(Settings.defaults("dc-turns").withQueue(1, 100, 50, 20));
        ProvisionedMeter meter = h.provisioning.provision("a/0");
        h.sendFrame(meter, "honest"); // fills the window of one; not confirmed, so the rest wait in the queue
        h.concentrator.tell(new DataConcentrator.StartTampering(Tampering.EDIT, 1));
        h.concentrator.tell(new DataConcentrator.StartTampering(Tampering.REPLAY, 1));
        for (String text : List.of("edited", "replayed", "honest again")) {
            h.sendFrame(meter, text);
        }
        List<Opened> verdicts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            DeliverFrame d = h.central.receiveMessage();
            verdicts.add(meter.openFromMeter(d.frame()));
            d.replyTo().tell(new CentralSystemLink.FrameDelivered(d.deliveryId()));
        }
        assertInstanceOf(Opened.Ok.class, verdicts.get(0));
        assertEquals(new Opened.Refused(Opened.Reason.BAD_TAG), verdicts.get(1));
        assertInstanceOf(Opened.Ok.class, verdicts.get(2));
        assertEquals(new Opened.Refused(Opened.Reason.REPLAYED), verdicts.get(3));
        assertInstanceOf(Opened.Ok.class, verdicts.get(4));
        h.central.expectNoMessage();
    }

    @Test
    void impossibleQueueSettingsAreRefusedWithOneClearLine() {
        IllegalArgumentException marks = assertThrows(IllegalArgumentException.class,
                () -> Settings.defaults("dc").withQueue(4, 100, 20, 50));
        assertEquals("queue marks must satisfy 0 <= low (50) < high (20) <= capacity (100)", marks.getMessage());
        IllegalArgumentException window = assertThrows(IllegalArgumentException.class,
                () -> Settings.defaults("dc").withQueue(0, 100, 50, 20));
        assertEquals("the delivery window must be at least 1 frame, not 0", window.getMessage());
    }

    @Test
    void theProtocolSerializesWithJacksonCbor() {
        SerializationTestKit serialization = testKit.serializationTestKit();
        var replyTo = testKit.<CentralSystemLink.FrameDelivered>createTestProbe().ref();
        DeliverFrame d = serialization.verifySerialization(new DeliverFrame(7, "m1", new byte[] {1, 2}, replyTo), false);
        assertEquals(7, d.deliveryId());
        assertArrayEquals(new byte[] {1, 2}, d.frame());
        assertEquals(replyTo, d.replyTo());
        serialization.verifySerialization(new CentralSystemLink.FrameDelivered(7), true);
        serialization.verifySerialization(new CentralSystemLink.AggregateReading("dc", "g", 3, 8, 8, 1234), true);
        serialization.verifySerialization(new CentralSystemLink.CombinedShare("dc", "g", 3, 8, 8, BigInteger.TEN,
                testKit.<CentralSystemLink.AggregateRead>createTestProbe().ref()), true);
        serialization.verifySerialization(new CentralSystemLink.AggregateWithheld("dc", "g", 3, 1, "why"), true);
        serialization.verifySerialization(new CentralSystemLink.AggregateRead("g", 3, 1234), true);
        serialization.verifySerialization(new FrameForMeter("m1", SecurityModule.OFF_SWITCH_SECURITY, new byte[] {3}, 0), false);
        serialization.verifySerialization(new CentralSystemLink.FraudAlert("dc", new byte[] {9}), false);
        serialization.verifySerialization(new IntakePaused("dc", 6), true);
        serialization.verifySerialization(new FrameRefused("dc", "m1", 1), true);
        serialization.verifySerialization(new DataConcentrator.CloseInterval(3), true);
        serialization.verifySerialization(new DataConcentrator.FeederReading("f", 3, 99), true);
        serialization.verifySerialization(new FeederMeter.EnergyFlow(3, 99), true);
    }
}
