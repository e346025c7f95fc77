package org.hasm.actors.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.crypto.Opened;
import org.hasm.actors.external.TopUpGateway;
import org.hasm.actors.meter.MeterSignals.FrameFromCentralSystem;
import org.hasm.actors.meter.MeterSignals.FrameToCentralSystem;
import org.hasm.actors.meter.MeterSignals.SwitchCommandFrame;
import org.hasm.actors.meter.MeterSignals.SwitchReport;
import org.hasm.policy.Part;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A meter that loses power and starts again on its segments: it must not reuse an AES-GCM counter (the
 * central system would refuse its frames, and the key would be broken), must not accept again a frame,
 * command or token it accepted before, and must keep the breaker where its log says it is.
 */
class MeterRestartTest {
    private static final ActorTestKit testKit = ActorTestKit.create();

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static long count(List<String> entries, String prefix) {
        return entries.stream().filter(e -> e.startsWith(prefix)).count();
    }

    /** The central system opens the next frame CsSecurity sends; a reused counter would be refused as a replay. */
    private static Opened.Ok nextFrameOpens(MeterHarness m) {
        return assertInstanceOf(Opened.Ok.class, m.central.openFromMeter(m.nextAtConcentrator(FrameToCentralSystem.class).bytes()));
    }

    @Test
    void aRestartedMeterSealsUnderNewCountersAndRefusesTheFrameAndTokenItAcceptedBefore() {
        MeterHarness m = new MeterHarness(testKit, "restart-cs", MeterConfig.DEFAULT, Tariff.flat(20_000));
        m.interval(100);
        nextFrameOpens(m);
        byte[] command = m.central.command(CommandKind.SET_PAYMENT_MODE, "true", m.nowSeconds());
        m.fromConcentrator(new FrameFromCentralSystem(command));
        byte[] token = m.central.topUpToken(500, m.nowSeconds());
        m.topUpGateway.tell(new TopUpGateway.Enter(token));
        m.awaitEntry(Part.SecurityLog, e -> e.startsWith("top-up: token #1 500 cents ACCEPTED"));
        m.awaitEntry(Part.CreditStore, e -> e.equals("prepaid=true"));

        MeterHarness again = m.restarted();
        again.interval(100);
        nextFrameOpens(again);
        again.fromConcentrator(new FrameFromCentralSystem(command));
        again.topUpGateway.tell(new TopUpGateway.Enter(token));
        again.awaitEntry(Part.SecurityLog, e -> e.startsWith("frame-refused: REPLAYED"));
        again.awaitEntry(Part.SecurityLog, e -> e.startsWith("top-up: token #1 500 cents ALREADY_USED"));
        List<String> log = again.journal(Part.SecurityLog);
        assertEquals(1, count(log, "command: SET_PAYMENT_MODE #1 ACCEPTED"), log.toString());
        assertEquals(1, count(log, "top-up: token #1 500 cents ACCEPTED"), log.toString());
        again.assertChainsIntact();
    }

    @Test
    void aRestartedMeterKeepsTheBreakerOpenRefusesTheOldSwitchCommandAndReportsUnderNewCounters() {
        MeterHarness m = new MeterHarness(testKit, "restart-switch", MeterConfig.DEFAULT, Tariff.flat(20_000));
        byte[] switchOff = m.central.switchCommand(false, m.nowSeconds());
        m.fromConcentrator(new SwitchCommandFrame(switchOff));
        assertFalse(m.supply.receiveMessage());
        m.openSwitchReport(MeterHarness.next(m.concentrator, SwitchReport.class).bytes());

        MeterHarness again = m.restarted();
        assertFalse(again.supply.receiveMessage(), "the breaker stays open after the restart");
        again.fromConcentrator(new SwitchCommandFrame(switchOff));
        again.awaitEntry(Part.OffSwitchLog, e -> e.startsWith("remote-command: SWITCH_OFF #1 REPLAYED"));
        // The report of the refusal opens at the central system: its counter was not used before the restart.
        String report = again.openSwitchReport(MeterHarness.next(again.concentrator, SwitchReport.class).bytes());
        assertEquals("SWITCH_OFF #1 REPLAYED supply=OFF", report);
        again.supply.expectNoMessage(Duration.ofMillis(200));
        assertEquals(1, count(again.journal(Part.OffSwitchLog), "actuation: OFF"));
        again.assertChainsIntact();
    }
}
