package org.hasm.actors.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.central.Provisioning;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.crypto.OffSwitchKeys;
import org.hasm.actors.crypto.SimulationRandomness;
import org.hasm.actors.meter.MeterSignals.Actuate;
import org.hasm.actors.meter.MeterSignals.ConsumptionFeedback;
import org.hasm.actors.meter.MeterSignals.FrameFromCentralSystem;
import org.hasm.actors.meter.MeterSignals.FrameToCentralSystem;
import org.hasm.actors.meter.MeterSignals.SwitchCommandFrame;
import org.hasm.actors.meter.MeterSignals.TechnicianRequest;
import org.hasm.actors.meter.MeterSignals.TopUpTokenFrame;
import org.hasm.persistence.FoldedAttempts;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.PolicyMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Bad input and attacks: nothing crashes, each is refused and logged in the right segment. */
class MeterAttacksTest {
    private static final ActorTestKit testKit = ActorTestKit.create();

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static MeterHarness meter(String id) {
        return new MeterHarness(testKit, id, MeterConfig.DEFAULT, Tariff.flat(20_000));
    }

    private static long count(List<String> entries, String prefix) {
        return entries.stream().filter(e -> e.startsWith(prefix)).count();
    }

    @Test
    void aReplayedFrameIsRefusedAndTheCommandTakesEffectOnce() {
        MeterHarness m = meter("a-replay");
        byte[] frame = m.central.command(CommandKind.SET_PAYMENT_MODE, "true", m.nowSeconds());
        m.fromConcentrator(new FrameFromCentralSystem(frame));
        m.fromConcentrator(new FrameFromCentralSystem(frame));
        m.awaitEntry(Part.SecurityLog, e -> e.startsWith("frame-refused: REPLAYED"));
        m.awaitEntry(Part.CreditStore, e -> e.equals("prepaid=true"));
        assertEquals(1, count(m.journal(Part.SecurityLog), "command: SET_PAYMENT_MODE #1 ACCEPTED"));
        assertEquals(1, count(m.journal(Part.CreditStore), "prepaid=true"));
    }

    @Test
    void aFrameSealedWithAnotherMetersKeyOrWithOneFlippedBitIsRefused() {
        Provisioning provisioning = new Provisioning("cs-1", SimulationRandomness.seeded(1, "fleet"));
        MeterHarness m = new MeterHarness(testKit, "a-keys", MeterConfig.DEFAULT, Tariff.flat(20_000), provisioning);
        ProvisionedMeter other = provisioning.provision("a-keys-neighbour");
        m.fromConcentrator(new FrameFromCentralSystem(other.command(CommandKind.SET_PAYMENT_MODE, "true", m.nowSeconds())));

        byte[] genuine = m.central.command(CommandKind.SET_PAYMENT_MODE, "true", m.nowSeconds());
        for (int bit : new int[] {13 * 8, genuine.length * 8 / 2, genuine.length * 8 - 1}) { // first ciphertext bit, middle, tag
            byte[] flipped = genuine.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            m.fromConcentrator(new FrameFromCentralSystem(flipped));
        }
        m.fromConcentrator(new FrameFromCentralSystem(genuine));

        m.awaitEntry(Part.SecurityLog, e -> e.equals("command: SET_PAYMENT_MODE #1 ACCEPTED"));
        assertEquals(4, count(m.journal(Part.SecurityLog), "frame-refused: BAD_TAG"), m.journal(Part.SecurityLog).toString());
    }

    @Test
    void aSwitchOffSignedForOrWithAnotherMetersKeyIsRefusedLoggedAndReported() {
        Provisioning provisioning = new Provisioning("cs-1", SimulationRandomness.seeded(2, "fleet"));
        MeterHarness m = new MeterHarness(testKit, "a-switch", MeterConfig.DEFAULT, Tariff.flat(20_000), provisioning);
        ProvisionedMeter neighbour = provisioning.provision("a-switch-neighbour");
        OffSwitchKeys stolenElsewhere = OffSwitchKeys.generate("a-switch", SimulationRandomness.seeded(3, "attacker"));

        m.fromConcentrator(new SwitchCommandFrame(neighbour.switchCommand(false, m.nowSeconds())));
        assertTrue(m.nextSwitchResult().contains("WRONG_METER"));
        m.fromConcentrator(new SwitchCommandFrame(stolenElsewhere.sign(1, m.nowSeconds(), CommandKind.SWITCH_OFF, new byte[0]).encode()));
        assertTrue(m.nextSwitchResult().contains("BAD_SIGNATURE"));

        List<String> log = m.journal(Part.OffSwitchLog);
        assertEquals(1, count(log, "remote-command: SWITCH_OFF #1 WRONG_METER"), log.toString());
        assertEquals(1, count(log, "remote-command: SWITCH_OFF #1 BAD_SIGNATURE"), log.toString());
        assertEquals(0, count(log, "actuation"));
        m.supply.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void everyRemoteCommandIsInTheOffSwitchLogBeforeTheBreakerMoves() {
        MeterHarness m = meter("a-p11");
        m.fromConcentrator(new SwitchCommandFrame(m.central.switchCommand(false, m.nowSeconds())));
        assertFalse(m.supply.receiveMessage());
        // No waiting here: the breaker moved, so both entries, with the state they lead to, must already be durable.
        List<String> log = m.journal(Part.OffSwitchLog);
        assertEquals(List.of("remote-command: SWITCH_OFF #1 ACCEPTED lastSequence=1 | supply=ON cause=NONE sequence=1",
                "actuation: OFF (remote command #1) | supply=OFF cause=REMOTE sequence=1"), log.subList(0, 2));
    }

    @Test
    void aTopUpTokenWorksOnceAndOnlyAtItsOwnMeter() {
        Provisioning provisioning = new Provisioning("cs-1", SimulationRandomness.seeded(4, "fleet"));
        MeterHarness m = new MeterHarness(testKit, "a-token", MeterConfig.DEFAULT, Tariff.flat(20_000), provisioning);
        ProvisionedMeter neighbour = provisioning.provision("a-token-neighbour");
        byte[] token = m.central.topUpToken(100, m.nowSeconds());
        var topUp = m.handle.from(Part.TopUpGateway, Part.Communications);
        topUp.send(new TopUpTokenFrame(token));
        topUp.send(new TopUpTokenFrame(token));
        topUp.send(new TopUpTokenFrame(neighbour.topUpToken(5000, m.nowSeconds())));

        m.awaitEntry(Part.SecurityLog, e -> e.equals("top-up: token #1 5000 cents WRONG_METER"));
        m.awaitEntry(Part.CreditStore, e -> e.startsWith("credit="));
        List<String> log = m.journal(Part.SecurityLog);
        assertEquals(1, count(log, "top-up: token #1 100 cents ACCEPTED"), log.toString());
        assertEquals(1, count(log, "top-up: token #1 100 cents ALREADY_USED"), log.toString());
        assertEquals(List.of("credit=100000"), m.journal(Part.CreditStore));
    }

    @Test
    void aCompromisedCreditBalanceCannotReachTheOffSwitch() {
        TestProbe<String> spy = testKit.createTestProbe(String.class);
        MeterHarness m = new MeterHarness(testKit, "a-compromised", MeterConfig.DEFAULT, Tariff.flat(20_000),
                new Provisioning("cs-1", SimulationRandomness.seeded(5, "fleet")),
                parts -> part -> part != Part.CreditBalance ? parts.behaviour(part) : Wiring.await(w -> Behaviors.setup(ctx -> {
                    spy.getRef().tell("has a channel to OffSwitch: " + w.reaches(Part.OffSwitch));
                    w.to(Part.OffSwitchSecurity).send(new Actuate(false));   // a type CreditBalance may not send there (P3)
                    w.to(Part.Display).send(new Actuate(false));             // nor here (P1)
                    Adapter.toClassic(ctx).actorSelection("../OffSwitch")   // a raw reference to the breaker
                            .tell(new Actuate(false), org.apache.pekko.actor.ActorRef.noSender());
                    return Behaviors.<PolicyMessage>ignore();
                })));

        assertEquals("has a channel to OffSwitch: false", spy.receiveMessage());
        m.awaitEntry(Part.SecurityLog, e -> e.equals("policy-violation: P3 NOT_IN_POLICY CreditBalance -> OffSwitchSecurity : Actuate"));
        m.awaitEntry(Part.SecurityLog, e -> e.equals("policy-violation: P1 NOT_IN_POLICY CreditBalance -> Display : Actuate"));
        m.awaitEntry(Part.SecurityLog, e -> e.equals("policy-violation: P1 NO_ENVELOPE ? -> OffSwitch : Actuate"));
        m.supply.expectNoMessage(Duration.ofMillis(100));
        assertEquals(3, m.drops.total());
    }

    @Test
    void theHanSideHasNoWayIn() {
        MeterHarness m = meter("a-han");
        assertThrows(IllegalArgumentException.class, () -> m.handle.from(Part.HanGateway, Part.Communications));
        // A compromised HAN gateway that somehow holds the Communications module's address:
        Adapter.toClassic(testKit.system()).actorSelection(m.handle.meter().path().child("Communications"))
                .tell(new ConsumptionFeedback(0, 0, 0), org.apache.pekko.actor.ActorRef.noSender());
        m.awaitEntry(Part.SecurityLog, e -> e.equals("policy-violation: P1 NO_ENVELOPE ? -> Communications : ConsumptionFeedback"));
    }

    @Test
    void aRemoteSwitchOnThatIsNeverConfirmedNeverClosesTheBreaker() {
        MeterHarness m = meter("a-unconfirmed");
        m.fromConcentrator(new SwitchCommandFrame(m.central.switchCommand(false, m.nowSeconds())));
        assertFalse(m.supply.receiveMessage());
        assertTrue(m.nextSwitchResult().startsWith("SWITCH_OFF #1 ACCEPTED"));
        m.fromConcentrator(new SwitchCommandFrame(m.central.switchCommand(true, m.nowSeconds())));
        assertTrue(m.nextSwitchResult().startsWith("SWITCH_ON #2 ACCEPTED"));
        m.interval(300);
        m.interval(300);
        m.nextAtConcentrator(FrameToCentralSystem.class);
        m.nextAtConcentrator(FrameToCentralSystem.class);
        m.supply.expectNoMessage(Duration.ofMillis(100));
        assertEquals(Supply.ARMED, m.screen.get().supply());
        assertEquals(0, count(m.journal(Part.OffSwitchLog), "actuation: ON"));
    }

    @Test
    void anApplianceSwitchedMoreOftenThanAllowedIsRejectedAndLogged() {
        MeterConfig strict = new MeterConfig(Duration.ofMinutes(15), Duration.ofMinutes(5), 2, Duration.ZERO);
        MeterHarness m = new MeterHarness(testKit, "a-appliance", strict, Tariff.flat(20_000));
        for (String state : new String[] {"off", "on", "off", "on", "off"}) {
            m.fromConcentrator(new FrameFromCentralSystem(m.central.command(CommandKind.APPLIANCE_SWITCH, "boiler:" + state, m.nowSeconds())));
        }
        m.awaitEntry(Part.SecurityLog, e -> e.equals("appliance-switch: boiler off REJECTED (P13: already 2 switch-offs this week)"));
        assertEquals(4, count(m.journal(Part.SecurityLog), "appliance-switch: boiler") - 1);

        MeterHarness quick = new MeterHarness(testKit, "a-appliance-quick", MeterConfig.DEFAULT, Tariff.flat(20_000));
        quick.fromConcentrator(new FrameFromCentralSystem(quick.central.command(CommandKind.APPLIANCE_SWITCH, "boiler:off", quick.nowSeconds())));
        quick.fromConcentrator(new FrameFromCentralSystem(quick.central.command(CommandKind.APPLIANCE_SWITCH, "boiler:on", quick.nowSeconds())));
        quick.awaitEntry(Part.SecurityLog, e -> e.equals("appliance-switch: boiler on REJECTED (P13: less than 30 min since the last change)"));
    }

    @Test
    void tenThousandInvalidTariffUpdatesNeitherStopMeteringNorTouchTheOffSwitchLogAndAreFolded() {
        Provisioning provisioning = new Provisioning("cs-1", SimulationRandomness.seeded(6, "fleet"));
        MeterHarness m = new MeterHarness(testKit, "a-flood", MeterConfig.DEFAULT, Tariff.flat(20_000), provisioning);
        ProvisionedMeter attacker = provisioning.provision("a-flood-elsewhere");
        m.fromConcentrator(new SwitchCommandFrame(m.central.switchCommand(false, m.nowSeconds())));
        assertFalse(m.supply.receiveMessage());
        // The switch report's counters are reserved after the breaker moved; wait for that last entry.
        m.awaitEntry(Part.OffSwitchLog, e -> e.startsWith("report-counters-reserved: "));
        List<String> offSwitchLogBefore = m.journal(Part.OffSwitchLog);

        String tariff = Tariff.flat(1).encode();
        for (int i = 0; i < 10_000; i++) {
            m.fromConcentrator(new FrameFromCentralSystem(attacker.command(CommandKind.SET_TARIFF, tariff, m.nowSeconds())));
        }
        m.interval(400);
        assertTrue(m.nextReadingText().endsWith(",400,0"));

        // The first 100 of the hour are logged one by one; the rest are one summary when the hour is over.
        for (int i = 0; i < 4; i++) {
            m.interval(0);
        }
        String summary = m.awaitEntry(Part.SecurityLog, e -> e.startsWith("refusals-folded: iface=DC kind=frame-refused"));
        assertEquals(9900, FoldedAttempts.Summary.in(summary).orElseThrow().count(), summary);
        assertEquals(100, count(m.journal(Part.SecurityLog), "frame-refused: BAD_TAG"));
        assertEquals(offSwitchLogBefore, m.journal(Part.OffSwitchLog));
        assertEquals(List.of(), m.journal(Part.Tariffs));
        m.assertChainsIntact();
    }

    @Test
    void malformedFramesOfRandomBytesAndEveryTruncatedLengthAreRefusedAndLogged() {
        // A budget large enough that every refusal is logged on its own, so each can be counted.
        MeterHarness m = new MeterHarness(testKit, "a-malformed", MeterConfig.DEFAULT.withRefusalFolding(100_000, Duration.ofHours(1)),
                Tariff.flat(20_000));
        SecureRandom random = SimulationRandomness.seeded(8, "garbage");
        byte[] command = m.central.command(CommandKind.SET_TARIFF, Tariff.flat(30_000).encode(), m.nowSeconds());
        byte[] switchOff = m.central.switchCommand(false, m.nowSeconds());
        byte[] token = m.central.topUpToken(100, m.nowSeconds());
        int sent = 0;
        for (int len = 0; len < command.length; len++) {
            m.fromConcentrator(new FrameFromCentralSystem(Arrays.copyOf(command, len)));
            sent++;
        }
        for (int len = 0; len < switchOff.length; len++) {
            m.fromConcentrator(new SwitchCommandFrame(Arrays.copyOf(switchOff, len)));
        }
        for (int len = 0; len < token.length; len++) {
            m.handle.from(Part.TopUpGateway, Part.Communications).send(new TopUpTokenFrame(Arrays.copyOf(token, len)));
        }
        for (int i = 0; i < 50; i++) {
            byte[] garbage = new byte[random.nextInt(200)];
            random.nextBytes(garbage);
            m.fromConcentrator(new FrameFromCentralSystem(garbage));
            m.fromConcentrator(new SwitchCommandFrame(garbage));
            m.handle.from(Part.TopUpGateway, Part.Communications).send(new TopUpTokenFrame(garbage));
            m.handle.from(Part.MaintenanceTechnician, Part.Communications).send(new TechnicianRequest(garbage, "x"));
            sent++;
        }
        int expectedCsRefusals = sent;
        int switchFrames = switchOff.length + 50;
        int tokenFrames = token.length + 50;

        // The meter still works: a reading goes out, and the genuine frames are accepted afterwards.
        m.interval(100);
        m.nextAtConcentrator(FrameToCentralSystem.class);
        m.fromConcentrator(new FrameFromCentralSystem(command));
        m.awaitEntry(Part.SecurityLog, e -> e.equals("command: SET_TARIFF #1 ACCEPTED"));
        testKit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
            List<String> security = m.journal(Part.SecurityLog);
            assertEquals(expectedCsRefusals, count(security, "frame-refused: "), security.toString());
            assertEquals(tokenFrames, count(security, "top-up: MALFORMED"));
            assertEquals(50, count(security, "technician-access: ? 'x' MALFORMED"));
            assertEquals(switchFrames, count(m.journal(Part.OffSwitchLog), "remote-command: ") );
            return null;
        });
        assertEquals(0, count(m.journal(Part.OffSwitchLog), "actuation"));
    }
}
