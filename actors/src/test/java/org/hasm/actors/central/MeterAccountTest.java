package org.hasm.actors.central;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.hasm.actors.link.CentralSystemLink.FrameForMeter;
import org.hasm.actors.link.CentralSystemLink.DeliverFrame;
import org.hasm.actors.link.CentralSystemLink.FrameDelivered;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.crypto.FrameKind;
import org.hasm.actors.crypto.GcmFrameOpener;
import org.hasm.actors.crypto.GcmFrameSealer;
import org.hasm.actors.crypto.InvocationCounter;
import org.hasm.actors.crypto.Opened;
import org.hasm.actors.crypto.OperatorSigning;
import org.hasm.actors.crypto.SignedCommand;
import org.hasm.actors.crypto.SignedLogAnchor;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.crypto.SimulationRandomness;
import org.hasm.actors.crypto.SystemTitle;
import org.hasm.actors.meter.Tariff;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.hasm.actors.link.ClusterSettings;
import org.hasm.actors.link.SecurityModule;

/** The central system's account of a meter, on a one-node cluster with the testkit's journals. */
class MeterAccountTest {
    private static final long DAY0 = 1_767_225_600_000L; // 2026-01-01T00:00Z
    private static final long HOUR = 3_600_000L;
    private static final long QUARTER = 900_000L;
    private static final Tariff TOU = Tariff.timeOfUse(15_000, 35_000, 17, 21);

    private static final ActorTestKit testKit = ActorTestKit.create("central",
            ClusterSettings.oneNode().withFallback(ConfigFactory.load("application-test")));
    private static final Provisioning provisioning = new Provisioning("cs-1", SimulationRandomness.seeded(7, "central-test"));
    private static final Map<String, ProvisionedMeter> keys = new ConcurrentHashMap<>();
    private static final TestProbe<FrameForMeter> downlink = testKit.createTestProbe(FrameForMeter.class);
    // every entity start gets the keys back with fresh counters, as from a key store after a restart
    private static final CentralSystem.Handles central = CentralSystem.start(testKit.system(),
            id -> keys.containsKey(id) ? keys.get(id).reloaded() : null,
            new CentralSystem.Settings(TOU, OperatorGateway.Settings.defaults(
                    Map.of("a", provisioning.commandVerifyingKey(), "b", provisioning.commandVerifyingKey()), 1)),
            downlink.getRef());
    private static final AtomicLong deliveries = new AtomicLong();

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    /** The meter's side of one channel: what its CsSecurity and OffSwitchSecurity seal and open. */
    private static final class MeterSide {
        final String id;
        final ProvisionedMeter keys;
        final GcmFrameSealer cs;
        final GcmFrameSealer reports;
        final GcmFrameOpener fromCentral;

        MeterSide(String id) {
            this.id = id;
            this.keys = provisioning.provision(id);
            MeterAccountTest.keys.put(id, keys);
            cs = new GcmFrameSealer(keys.csSecurityKeys().channelKey(), SystemTitle.ofMeter(id), InvocationCounter.fresh());
            reports = new GcmFrameSealer(keys.offSwitchSecurityKeys().reportKey(), SystemTitle.ofMeter(id), InvocationCounter.fresh());
            fromCentral = new GcmFrameOpener(keys.csSecurityKeys().channelKey(), SystemTitle.ofCentralSystem("cs-1"));
        }

        byte[] reading(long start, long importWh) {
            return cs.seal(FrameKind.READINGS, ("electricity," + start + "," + (start + QUARTER) + "," + importWh + ",0")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void deliver(String meterId, byte[] frame) {
        TestProbe<FrameDelivered> delivered = testKit.createTestProbe(FrameDelivered.class);
        long id = deliveries.incrementAndGet();
        central.inbox().tell(new DeliverFrame(id, meterId, frame, delivered.getRef()));
        assertEquals(new FrameDelivered(id), delivered.receiveMessage(), "answered only once persisted");
    }

    private static MeterAccount.AccountView account(String meterId) {
        TestProbe<MeterAccount.AccountView> probe = testKit.createTestProbe(MeterAccount.AccountView.class);
        central.accounts().tell(new ShardingEnvelope<>(meterId, new MeterAccount.GetAccount(probe.getRef())));
        return probe.receiveMessage();
    }

    /** The acknowledgement the account sent back, opened as the meter's CsSecurity would. */
    private static long acknowledgedUntil(MeterSide m) {
        FrameForMeter out = downlink.receiveMessage();
        assertEquals(m.id, out.meterId());
        assertEquals(SecurityModule.CS_SECURITY, out.module());
        Opened.Ok ok = assertInstanceOf(Opened.Ok.class, m.fromCentral.open(out.frame()), "fresh and authentic for the meter");
        assertEquals(FrameKind.ACKNOWLEDGEMENT, ok.kind());
        return Long.parseLong(new String(ok.plaintext(), StandardCharsets.UTF_8));
    }

    @Test
    void readingsAreBilledPerDayUnderTheTimeOfUseTariffAndAcknowledged() {
        MeterSide m = new MeterSide("billed");
        deliver(m.id, m.reading(DAY0 + 10 * HOUR, 1_000)); // off-peak: 15,000 mc/kWh
        assertEquals(DAY0 + 10 * HOUR + QUARTER, acknowledgedUntil(m));
        deliver(m.id, m.reading(DAY0 + 18 * HOUR, 1_000)); // peak: 35,000 mc/kWh
        assertEquals(DAY0 + 18 * HOUR + QUARTER, acknowledgedUntil(m));
        deliver(m.id, m.reading(DAY0 + 24 * HOUR, 500)); // the next day closes the first day's bill
        acknowledgedUntil(m);

        MeterAccount.AccountView view = account(m.id);
        assertEquals(3, view.readings());
        assertEquals(List.of(new MeterAccount.DailyBill(DAY0 / 86_400_000L, 2_000, 0, 50_000, 2)), view.bills());
        assertEquals(new MeterAccount.DailyBill(DAY0 / 86_400_000L + 1, 500, 0, 7_500, 1), view.openDay());
        assertEquals(3, view.acknowledgementsSent());
        assertTrue(view.refusals().isEmpty());
    }

    @Test
    void theDaysLastReadingClosesItsBillAtOnceAndTheNextDayDoesNotBillItAgain() {
        MeterSide m = new MeterSide("billed-at-midnight");
        deliver(m.id, m.reading(DAY0 + 10 * HOUR, 1_000)); // off-peak: 15,000 mc/kWh
        acknowledgedUntil(m);
        deliver(m.id, m.reading(DAY0 + 24 * HOUR - QUARTER, 200)); // 23:45-24:00, off-peak
        acknowledgedUntil(m);
        MeterAccount.DailyBill first = new MeterAccount.DailyBill(DAY0 / 86_400_000L, 1_200, 0, 18_000, 2);
        assertEquals(List.of(first), account(m.id).bills(), "billed when the day's last interval is in");

        deliver(m.id, m.reading(DAY0 + 24 * HOUR, 500));
        acknowledgedUntil(m);
        assertEquals(List.of(first), account(m.id).bills(), "the next day's first reading bills nothing twice");
    }

    @Test
    void aReplayedFrameIsRefusedAndCounted() {
        MeterSide m = new MeterSide("replayed");
        byte[] frame = m.reading(DAY0, 400);
        deliver(m.id, frame);
        acknowledgedUntil(m);
        deliver(m.id, frame.clone());
        MeterAccount.AccountView view = account(m.id);
        assertEquals(1, view.readings(), "billed once");
        assertEquals(Map.of("REPLAYED", 1L), view.refusals());
    }

    @Test
    void aDeliveryResentWithItsIdIsConfirmedAgainAndTakenOnceWhileAnotherCopyIsStillAReplay() {
        MeterSide m = new MeterSide("resent");
        byte[] first = m.reading(DAY0, 400);
        byte[] second = m.reading(DAY0 + QUARTER, 500);
        TestProbe<FrameDelivered> delivered = testKit.createTestProbe(FrameDelivered.class);
        long id = deliveries.incrementAndGet();
        central.inbox().tell(new DeliverFrame(id, m.id, first, delivered.getRef()));
        assertEquals(new FrameDelivered(id), delivered.receiveMessage());
        acknowledgedUntil(m);
        // the concentrator never saw that confirmation and resends: same id, same bytes
        central.inbox().tell(new DeliverFrame(id, m.id, first.clone(), delivered.getRef()));
        assertEquals(new FrameDelivered(id), delivered.receiveMessage(), "confirmed again");
        MeterAccount.AccountView once = account(m.id);
        assertEquals(1, once.readings(), "taken once");
        assertTrue(once.refusals().isEmpty(), "a resend is no replay: " + once.refusals());

        deliver(m.id, second);
        acknowledgedUntil(m);
        deliver(m.id, first.clone()); // the same bytes under a new delivery: a replay
        central.inbox().tell(new DeliverFrame(id, m.id, second.clone(), delivered.getRef())); // an old id with other bytes
        assertEquals(new FrameDelivered(id), delivered.receiveMessage());
        MeterAccount.AccountView view = account(m.id);
        assertEquals(2, view.readings());
        assertEquals(Map.of("REPLAYED", 2L), view.refusals());
    }

    @Test
    void aTamperedFrameIsRefusedAndDoesNotLockOutTheMeter() {
        MeterSide m = new MeterSide("tampered");
        byte[] frame = m.reading(DAY0, 400);
        byte[] edited = frame.clone();
        edited[edited.length - 20] ^= 0x01; // a concentrator changing one bit of the ciphertext
        deliver(m.id, edited);
        deliver("someone-else", m.reading(DAY0 + QUARTER, 400)); // relabelled for a meter that does not exist
        deliver(m.id, frame);
        acknowledgedUntil(m);

        MeterAccount.AccountView view = account(m.id);
        assertEquals(1, view.readings(), "the genuine frame still counts");
        assertEquals(Map.of("BAD_TAG", 1L), view.refusals());
    }

    @Test
    void switchCommandsAnchorsAndTopUpsAreKeptAndAReportAcknowledgesTheCommand() {
        MeterSide m = new MeterSide("switched");
        TestProbe<MeterAccount.Issued> issued = testKit.createTestProbe(MeterAccount.Issued.class);
        central.accounts().tell(new ShardingEnvelope<>(m.id, new MeterAccount.IssueSwitch(false, DAY0, "op-1", issued.getRef())));
        assertEquals(new MeterAccount.Issued(m.id, CommandKind.SWITCH_OFF, 1, null), issued.receiveMessage());
        FrameForMeter out = downlink.receiveMessage();
        assertEquals(SecurityModule.OFF_SWITCH_SECURITY, out.module());
        SignedCommand command = SignedCommand.decode(out.frame()).orElseThrow();
        assertEquals(CommandKind.SWITCH_OFF, command.kind());
        TestProbe<MeterAccount.AccountView> answered = testKit.createTestProbe(MeterAccount.AccountView.class);
        central.accounts().tell(new ShardingEnvelope<>(m.id, new MeterAccount.GetAccountOnceSwitchesAnswered(1, answered.getRef())));
        answered.expectNoMessage(Duration.ofMillis(200)); // the meter has not answered yet

        deliver(m.id, m.reports.seal(FrameKind.COMMAND_RESULT, "SWITCH_OFF #1 ACCEPTED supply=OFF".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Map.of(1L, "ACCEPTED"), answered.receiveMessage().switchAcknowledgements(),
                "answered once the meter's answer is persisted");
        byte[] head = new byte[32];
        deliver(m.id, m.cs.seal(FrameKind.LOG_ANCHOR,
                SignedLogAnchor.sign(m.keys.csSecurityKeys().logKey(), m.id, "metrology-log", 4, DAY0, head).encode()));
        deliver(m.id, m.cs.seal(FrameKind.LOG_ANCHOR, // signed with the wrong module's key
                SignedLogAnchor.sign(m.keys.offSwitchSecurityKeys().logKey(), m.id, "metrology-log", 8, DAY0, head).encode()));

        central.accounts().tell(new ShardingEnvelope<>(m.id, new MeterAccount.IssueCommand(CommandKind.SWITCH_ON, "", DAY0, issued.getRef())));
        assertNotNull(issued.receiveMessage().refusal(), "switch commands go through IssueSwitch");

        MeterAccount.AccountView view = account(m.id);
        assertEquals(Map.of(1L, "ACCEPTED"), view.switchAcknowledgements());
        assertEquals(1, view.anchors());
        assertEquals(Map.of("BAD_ANCHOR", 1L), view.refusals());
    }

    @Test
    void anAccountRecoversItsStateAndCountersAfterItsEntityIsPassivated() {
        MeterSide m = new MeterSide("restarted");
        byte[] first = m.reading(DAY0 + 18 * HOUR, 1_000);
        deliver(m.id, first);
        acknowledgedUntil(m);
        TestProbe<MeterAccount.Issued> issued = testKit.createTestProbe(MeterAccount.Issued.class);
        central.accounts().tell(new ShardingEnvelope<>(m.id, new MeterAccount.IssueCommand(CommandKind.SET_PAYMENT_MODE, "true",
                DAY0 + 19 * HOUR, issued.getRef())));
        assertEquals(1, issued.receiveMessage().sequence());
        downlink.receiveMessage();
        TestProbe<MeterAccount.TopUpIssued> token = testKit.createTestProbe(MeterAccount.TopUpIssued.class);
        central.accounts().tell(new ShardingEnvelope<>(m.id, new MeterAccount.IssueTopUp(500, DAY0 + 19 * HOUR, token.getRef())));
        assertEquals(1, token.receiveMessage().tokenId());
        deliver(m.id, m.reading(DAY0 + 20 * HOUR, 1_000)); // prepaid now: 35,000 mc off the credit
        acknowledgedUntil(m);
        MeterAccount.AccountView before = account(m.id);
        assertEquals(0, before.eventsReplayed());
        assertEquals(500_000 - 35_000, before.creditMilliCents());

        central.accounts().tell(new ShardingEnvelope<>(m.id, new MeterAccount.Passivate()));
        TestProbe<MeterAccount.AccountView> probe = testKit.createTestProbe(MeterAccount.AccountView.class);
        // until the shard has stopped the old incarnation, the old one may still answer
        MeterAccount.AccountView after = probe.awaitAssert(() -> {
            MeterAccount.AccountView v = account(m.id);
            assertTrue(v.eventsReplayed() > 0, "a new incarnation, recovered from the journal");
            return v;
        });
        assertEquals(2, after.readings());
        assertTrue(after.prepaid());
        assertEquals(before, new MeterAccount.AccountView(after.meterId(), after.readings(), after.lastReadingFrame(), after.bills(),
                after.openDay(), after.prepaid(), after.creditMilliCents(), after.topUpTokens(), after.commands(),
                after.switchCommands(), after.switchAcknowledgements(), after.acknowledgementsSent(), after.anchors(),
                after.refusals(), 0, after.lastReadingEnd()));

        // keys came back with fresh counters: the journal still refuses the old frame and never reuses an IV
        deliver(m.id, first);
        assertEquals(Map.of("REPLAYED", 1L), account(m.id).refusals());
        deliver(m.id, m.reading(DAY0 + 21 * HOUR, 100));
        assertEquals(DAY0 + 21 * HOUR + QUARTER, acknowledgedUntil(m), "a counter above every frame sent before the restart");
        central.accounts().tell(new ShardingEnvelope<>(m.id, new MeterAccount.IssueTopUp(100, DAY0 + 22 * HOUR, token.getRef())));
        MeterAccount.TopUpIssued second = token.receiveMessage();
        assertEquals(2, second.tokenId(), "no token id issued twice");
    }

    @Test
    void messagesCrossingActorBoundariesSerializeWithJacksonCborNotJava() {
        var kit = testKit.serializationTestKit();
        TestProbe<FrameDelivered> probe = testKit.createTestProbe(FrameDelivered.class);
        kit.verifySerialization(new FrameDelivered(3), true);
        DeliverFrame d = kit.verifySerialization(new DeliverFrame(1, "m1", new byte[] {1, 2, 3}, probe.getRef()), false);
        assertEquals(probe.getRef(), d.replyTo());
        assertArrayEquals(new byte[] {1, 2, 3}, d.frame());
        kit.verifySerialization(new MeterAccount.GetAccount(testKit.createTestProbe(MeterAccount.AccountView.class).getRef()), true);
        kit.verifySerialization(new OperatorGateway.Tick(DAY0), true);
        SigningKeys key = SigningKeys.generate(SimulationRandomness.seeded(1, "operator"));
        OperatorSigning.BulkRequest request = OperatorSigning.request(key, "alice", "r1", DAY0 / 1000, CommandKind.SWITCH_OFF,
                List.of("m1", "m2"));
        OperatorGateway.BulkHeld held = kit.verifySerialization(new OperatorGateway.BulkHeld(request, DAY0), false);
        assertTrue(held.request().verifies(key.verifyingKey()), "still verifies after the trip");
    }
}
