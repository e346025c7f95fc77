package org.hasm.actors.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.hasm.actors.crypto.Share;
import org.hasm.actors.crypto.TechnicianScope;
import org.hasm.actors.external.LocalGeneration;
import org.hasm.actors.external.MaintenanceTechnician;
import org.hasm.actors.external.OtherUtilityMeter;
import org.hasm.actors.external.TopUpGateway;
import org.hasm.policy.kernel.PolicyMessage;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.meter.MeterSignals.AggregationShare;
import org.hasm.actors.meter.MeterSignals.ButtonPress;
import org.hasm.actors.meter.MeterSignals.ConsumptionFeedback;
import org.hasm.actors.meter.MeterSignals.FrameFromCentralSystem;
import org.hasm.actors.meter.MeterSignals.FrameToCentralSystem;
import org.hasm.actors.meter.MeterSignals.SwitchCommandFrame;
import org.hasm.actors.meter.MeterSignals.TopUpTokenFrame;
import org.hasm.policy.Part;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The paper's use cases (I-C, II-B), each end to end through Communications with real keys. One test kit per
 * class (not per JVM), so a subclass can run every use case on a meter assembled another way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeterUseCasesTest {
    private final ActorTestKit testKit = ActorTestKit.create();

    @AfterAll
    void stop() {
        testKit.shutdownTestKit();
    }

    /** The meter a use case runs on: the shipped policy here. */
    MeterHarness meter(ActorTestKit testKit, String id) {
        return new MeterHarness(testKit, id, MeterConfig.DEFAULT, Tariff.flat(20_000));
    }

    @Test
    void aReadingIsLoggedSealedForTheCentralSystemSharedForTheConcentratorAndShownOnTheHan() {
        MeterHarness m = meter(testKit, "uc1");
        m.interval(500);

        // The two leave independently (CsSecurity and DcSecurity share nothing, P9), so in either order.
        List<PolicyMessage> out = List.of(m.concentrator.receiveMessage(), m.concentrator.receiveMessage());
        FrameToCentralSystem frame = only(out, FrameToCentralSystem.class);
        long start = MeterHarness.T0;
        assertEquals("electricity," + start + "," + (start + MeterHarness.INTERVAL) + ",500,0", m.openReadingText(frame.bytes()));
        AggregationShare share = only(out, AggregationShare.class);
        assertEquals("uc1", share.meterId());
        assertNotEquals(500, ((Share.Masked) share.share()).value(), "the concentrator does not see the reading");
        assertEquals(new ConsumptionFeedback(start, 500, 0), MeterHarness.next(m.han, ConsumptionFeedback.class));
        assertTrue(m.journal(Part.MetrologyLog).get(0).startsWith("reading: " + start + ".."), m.journal(Part.MetrologyLog).toString());
    }

    @Test
    void prepaidCreditRunsOutTheMeterSwitchesOffLocallyAndBackOnOnlyAfterTopUpAndConfirmation() {
        MeterHarness m = meter(testKit, "uc3");
        m.tick();
        m.handle.from(Part.TopUpGateway, Part.Communications).send(new TopUpTokenFrame(m.central.topUpToken(30, m.nowSeconds())));
        m.awaitEntry(Part.CreditStore, e -> e.equals("credit=30000"));
        m.fromConcentrator(new FrameFromCentralSystem(m.central.command(CommandKind.SET_PAYMENT_MODE, "true", m.nowSeconds())));
        m.awaitEntry(Part.CreditStore, e -> e.equals("prepaid=true"));
        // 20 cents/kWh: 1 kWh costs 20 cents, so the second interval exhausts 30 cents of credit.
        m.interval(1000);
        m.interval(1000);

        assertFalse(m.supply.receiveMessage(), "zero credit opens the breaker");
        m.awaitEntry(Part.OffSwitchLog, e -> e.startsWith("zero-credit-trigger"));
        m.awaitEntry(Part.OffSwitchLog, e -> e.startsWith("actuation: OFF (zero credit)"));

        m.handle.from(Part.TopUpGateway, Part.Communications).send(new TopUpTokenFrame(m.central.topUpToken(500, m.nowSeconds())));
        m.awaitEntry(Part.OffSwitchLog, e -> e.startsWith("credit-restored"));
        assertEquals(Supply.ARMED, awaitSupplyShown(m, Supply.ARMED));
        m.supply.expectNoMessage(Duration.ofMillis(200));
        m.handle.from(Part.Environment, Part.Display).send(new ButtonPress());
        assertTrue(m.supply.receiveMessage(), "the consumer's confirmation closes the breaker");
        assertEquals(Supply.ON, awaitSupplyShown(m, Supply.ON));
        m.assertChainsIntact();
    }

    @Test
    void aRemoteSwitchOnTakesEffectOnlyAfterLocalConfirmation() {
        MeterHarness m = meter(testKit, "uc7");
        m.tick();
        m.fromConcentrator(new SwitchCommandFrame(m.central.switchCommand(false, m.nowSeconds())));
        assertFalse(m.supply.receiveMessage());
        assertTrue(m.nextSwitchResult().startsWith("SWITCH_OFF #1 ACCEPTED"));

        m.fromConcentrator(new SwitchCommandFrame(m.central.switchCommand(true, m.nowSeconds())));
        assertTrue(m.nextSwitchResult().startsWith("SWITCH_ON #2 ACCEPTED"));
        assertEquals(Supply.ARMED, awaitSupplyShown(m, Supply.ARMED));
        m.supply.expectNoMessage(Duration.ofMillis(200));

        m.handle.from(Part.Environment, Part.Display).send(new ButtonPress());
        assertTrue(m.supply.receiveMessage());
        m.awaitEntry(Part.OffSwitchLog, e -> e.startsWith("local-confirmation: supply=ARMED"));
    }

    @Test
    void prepaidModeIsSwitchedOnAndOffByASignedCommandAndKeptInTheCreditStore() {
        MeterHarness m = meter(testKit, "uc2");
        m.tick();
        m.fromConcentrator(new FrameFromCentralSystem(m.central.command(CommandKind.SET_PAYMENT_MODE, "true", m.nowSeconds())));
        m.awaitEntry(Part.SecurityLog, e -> e.equals("command: SET_PAYMENT_MODE #1 ACCEPTED"));
        m.awaitEntry(Part.CreditStore, e -> e.equals("prepaid=true"));
        assertFalse(m.supply.receiveMessage(), "prepaid with no credit disconnects at once");

        m.fromConcentrator(new FrameFromCentralSystem(m.central.command(CommandKind.SET_PAYMENT_MODE, "false", m.nowSeconds())));
        m.awaitEntry(Part.CreditStore, e -> e.equals("prepaid=false"));
        assertEquals(Supply.ARMED, awaitSupplyShown(m, Supply.ARMED));
        m.handle.from(Part.Environment, Part.Display).send(new ButtonPress());
        assertTrue(m.supply.receiveMessage(), "back to credit mode, the consumer may reconnect");
    }

    @Test
    void aTimeOfUseTariffUpdatePricesEachIntervalByItsHour() {
        MeterHarness m = meter(testKit, "uc4");
        m.tick();
        m.handle.from(Part.TopUpGateway, Part.Communications).send(new TopUpTokenFrame(m.central.topUpToken(1000, m.nowSeconds())));
        m.awaitEntry(Part.CreditStore, e -> e.equals("credit=1000000"));
        // Peak 50 cents/kWh from 00:00 to 01:00 UTC (where the test's day starts), 10 cents otherwise.
        Tariff tou = Tariff.timeOfUse(10_000, 50_000, 0, 1);
        m.fromConcentrator(new FrameFromCentralSystem(m.central.command(CommandKind.SET_TARIFF, tou.encode(), m.nowSeconds())));
        m.awaitEntry(Part.Tariffs, e -> e.equals("tariff=" + tou.encode()));
        assertEquals(new MeterSignals.TariffFeedback(tou), MeterHarness.next(m.han, MeterSignals.TariffFeedback.class));
        m.fromConcentrator(new FrameFromCentralSystem(m.central.command(CommandKind.SET_PAYMENT_MODE, "true", m.nowSeconds())));
        m.awaitEntry(Part.CreditStore, e -> e.equals("prepaid=true"));

        m.interval(1000); // 00:00-00:15, peak: 1 kWh costs 50 cents
        m.awaitEntry(Part.CreditStore, e -> e.equals("credit=950000"));
        m.interval(0);
        m.interval(0);
        m.interval(0);
        m.interval(1000); // 01:00-01:15, off-peak: 10 cents

        m.awaitEntry(Part.CreditStore, e -> e.equals("credit=940000"));
    }

    @Test
    void loadBalancingSwitchesAnApplianceOneWayThroughTheHan() {
        MeterHarness m = meter(testKit, "uc8");
        m.tick();
        m.fromConcentrator(new FrameFromCentralSystem(m.central.command(CommandKind.APPLIANCE_SWITCH, "boiler:off", m.nowSeconds())));
        assertEquals(new MeterSignals.ApplianceSwitch("boiler", false, m.now), MeterHarness.next(m.han, MeterSignals.ApplianceSwitch.class));
        m.awaitEntry(Part.SecurityLog, e -> e.equals("appliance-switch: boiler off ACCEPTED"));
    }

    @Test
    void consumptionTariffAndCreditReachTheDisplayAndTheHan() {
        MeterHarness m = meter(testKit, "uc9");
        m.tick();
        m.topUpGateway.tell(new TopUpGateway.Enter(m.central.topUpToken(250, m.nowSeconds())));
        assertEquals(new MeterSignals.CreditFeedback(250_000, false), MeterHarness.next(m.han, MeterSignals.CreditFeedback.class));
        m.interval(750);
        assertEquals(new ConsumptionFeedback(MeterHarness.T0, 750, 0), MeterHarness.next(m.han, ConsumptionFeedback.class));
        testKit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
            assertEquals(750, m.screen.get().lastImportWh());
            assertEquals(250_000, m.screen.get().creditMilliCents());
            return null;
        });
    }

    @Test
    void theNeighbourhoodsKeypadsEnterATokenIntoItsOwnMeterAndTheHopCountsAsActivity() {
        MeterHarness m = meter(testKit, "uc9b");
        m.tick();
        var keypads = testKit.spawn(TopUpGateway.keypads(m.activity));
        m.activity.begin(); // as the simulation does before it hands a token to the keypads
        keypads.tell(new TopUpGateway.EnterAt(m.handle.from(Part.TopUpGateway, Part.Communications),
                m.central.topUpToken(120, m.nowSeconds())));
        assertEquals(true, org.apache.pekko.actor.typed.javadsl.AskPattern.<TopUpGateway.Keypads, Boolean>ask(keypads,
                TopUpGateway.Passed::new, Duration.ofSeconds(5), testKit.scheduler()).toCompletableFuture().join());
        assertEquals(new MeterSignals.CreditFeedback(120_000, false), MeterHarness.next(m.han, MeterSignals.CreditFeedback.class));
        testKit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
            assertTrue(m.activity.idle(), "the keypads ended the hop they were handed: " + m.activity.pending());
            return null;
        });
    }

    @Test
    void gasAndGenerationReadingsAreSealedForTheCentralSystem() {
        MeterHarness m = meter(testKit, "uc10a");
        m.tick();
        m.gasMeter.tell(new OtherUtilityMeter.Read(m.now, 1234));
        assertEquals("gas," + m.now + ",1234", m.openReadingText(m.nextAtConcentrator(FrameToCentralSystem.class).bytes()));
        m.inverter.tell(new LocalGeneration.Generated(m.now, 800));
        assertEquals("generation," + m.now + ",800", m.openReadingText(m.nextAtConcentrator(FrameToCentralSystem.class).bytes()));
    }

    @Test
    void aTechnicianIsServedOnlyWithACentrallySignedCredentialInsideItsWindow() {
        MeterHarness m = meter(testKit, "uc10b");
        m.tick();
        long s = m.nowSeconds();
        byte[] valid = m.central.technicianCredential("tech-7", s - 60, s + 3600, TechnicianScope.READ_DIAGNOSTICS);
        byte[] expired = m.central.technicianCredential("tech-8", s - 7200, s - 3600, TechnicianScope.READ_DIAGNOSTICS);
        m.technicianTool.tell(new MaintenanceTechnician.Visit(expired, "read logs"));
        m.technicianTool.tell(new MaintenanceTechnician.Visit(valid, "read logs"));

        MeterSignals.TechnicianResponse answer = m.technician.receiveMessage();
        assertEquals("tech-7", answer.technicianId());
        m.awaitEntry(Part.SecurityLog, e -> e.equals("technician-access: tech-8 'read logs' EXPIRED"));
        m.awaitEntry(Part.SecurityLog, e -> e.equals("technician-access: tech-7 'read logs' VALID"));
    }

    @Test
    void aClockSyncWithinTheBoundMovesTheClockAndOneBeyondItIsRefusedBothLogged() {
        MeterHarness m = meter(testKit, "uc10c");
        m.tick();
        long corrected = m.now + Duration.ofMinutes(2).toMillis();
        m.fromConcentrator(new FrameFromCentralSystem(m.central.command(CommandKind.CLOCK_SYNC, Long.toString(corrected), m.nowSeconds())));
        m.awaitEntry(Part.SecurityLog, e -> e.equals("command: CLOCK_SYNC #1 ACCEPTED"));
        long tooFar = m.now + Duration.ofHours(3).toMillis();
        m.fromConcentrator(new FrameFromCentralSystem(m.central.command(CommandKind.CLOCK_SYNC, Long.toString(tooFar), m.nowSeconds())));
        m.awaitEntry(Part.SecurityLog, e -> e.equals("command: CLOCK_SYNC #2 REFUSED (payload)"));
        m.tick();
        testKit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
            assertEquals(corrected, m.screen.get().now());
            return null;
        });
    }

    private static <T> T only(List<PolicyMessage> messages, Class<T> type) {
        List<T> matching = messages.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, matching.size(), "exactly one " + type.getSimpleName() + " in " + messages);
        return matching.get(0);
    }

    private Supply awaitSupplyShown(MeterHarness m, Supply expected) {
        testKit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
            assertEquals(expected, m.screen.get().supply());
            return null;
        });
        return m.screen.get().supply();
    }
}
