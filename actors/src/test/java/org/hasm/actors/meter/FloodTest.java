package org.hasm.actors.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.central.Provisioning;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.crypto.SimulationRandomness;
import org.hasm.actors.meter.MeterSignals.FrameFromCentralSystem;
import org.hasm.actors.meter.MeterSignals.SwitchCommandFrame;
import org.hasm.persistence.FoldedAttempts;
import org.hasm.persistence.SegmentQuota;
import org.hasm.policy.Part;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The paper's log-flushing attack (section IV): a million invalid commands cannot push a single
 * off-switch or accepted-command entry out of the logs, and the SecurityLog stays within its quota.
 */
class FloodTest {
    private static final ActorTestKit testKit = ActorTestKit.create();
    private static final int FLOOD = 1_000_000;
    private static final int ROUNDS = 5;

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void aMillionInvalidCommandsLoseNoOffSwitchOrAcceptedEntryAndAreFolded() {
        Provisioning provisioning = new Provisioning("cs-1", SimulationRandomness.seeded(11, "fleet"));
        // Small enough that the flood reaches it: refused attempts are logged one by one while fewer than 40
        // entries are stored, and counted after that.
        SegmentQuota quota = new SegmentQuota(60, 20);
        MeterHarness m = new MeterHarness(testKit, "flooded", MeterConfig.DEFAULT.withQuota(Part.SecurityLog, quota),
                Tariff.flat(20_000), provisioning);
        ProvisionedMeter attacker = provisioning.provision("flooded-elsewhere");
        String tariff = Tariff.flat(1).encode();

        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < FLOOD / ROUNDS; i++) {
                m.fromConcentrator(new FrameFromCentralSystem(attacker.command(CommandKind.SET_TARIFF, tariff, m.nowSeconds())));
            }
            // In the middle of the flood: a genuine switch command and a genuine tariff update.
            m.fromConcentrator(new SwitchCommandFrame(m.central.switchCommand(round % 2 == 1, m.nowSeconds())));
            m.fromConcentrator(new FrameFromCentralSystem(m.central.command(CommandKind.SET_TARIFF,
                    Tariff.flat(20_000 + round).encode(), m.nowSeconds())));
        }
        m.interval(250);
        assertTrue(m.nextReadingText().endsWith(",250,0"), "metering goes on");
        for (int i = 0; i < 4; i++) { // the hour passes: the folded refusals become one summary entry
            m.interval(0);
        }
        String summary = m.awaitEntry(Part.SecurityLog, e -> e.startsWith("refusals-folded: iface=DC kind=frame-refused"));
        assertEquals(FLOOD - 100, FoldedAttempts.Summary.in(summary).orElseThrow().count(), summary);

        // The last switch-off's actuation follows its command entry and the state it leads to; wait for it.
        m.awaitEntry(Part.OffSwitchLog, e -> e.startsWith("actuation: OFF (remote command #" + ROUNDS + ")"));
        List<String> offSwitchLog = m.journal(Part.OffSwitchLog);
        for (int round = 0; round < ROUNDS; round++) {
            String kind = round % 2 == 1 ? "SWITCH_ON" : "SWITCH_OFF";
            int seq = round + 1;
            assertEquals(1, offSwitchLog.stream().filter(e -> e.startsWith("remote-command: " + kind + " #" + seq + " ACCEPTED")).count(),
                    offSwitchLog.toString());
        }
        assertEquals(3, offSwitchLog.stream().filter(e -> e.startsWith("actuation: OFF")).count(), offSwitchLog.toString());
        // CsSecurity logs the genuine commands in the order they came; the switch's actuation can be confirmed
        // before the last tariff command's entry (each has its own segment), so wait for that entry too
        m.awaitEntry(Part.SecurityLog, e -> e.equals("command: SET_TARIFF #" + ROUNDS + " ACCEPTED"));
        List<String> securityLog = m.journal(Part.SecurityLog);
        for (int round = 0; round < ROUNDS; round++) {
            int seq = round + 1;
            assertEquals(1, securityLog.stream().filter(e -> e.equals("command: SET_TARIFF #" + seq + " ACCEPTED")).count());
        }
        // Within the quota: 40 refusals on their own, the quota notes, the genuine commands, the window's summary.
        assertTrue(securityLog.size() <= quota.maxEntries(), securityLog.toString());
        for (Part segment : Part.ofKind(Part.Kind.SEGMENT)) {
            if (segment.isLog()) {
                assertTrue(m.entries(segment).size() <= m.config().quota(segment).maxEntries(), segment + " within its quota");
            }
        }
        assertEquals(40, securityLog.stream().filter(e -> e.startsWith("frame-refused: ")).count(), securityLog.toString());
        assertEquals(1, securityLog.stream().filter(e -> e.startsWith("quota-reached: max=60 reserve=20")).count());
        // The 60 refusals of the budget that did not fit were counted: the rest of the flood is in the summary.
        String suppressed = m.awaitEntry(Part.SecurityLog, e -> e.startsWith("quota-suppressed: "));
        assertTrue(suppressed.startsWith("quota-suppressed: count=60 "), suppressed);
        m.assertChainsIntact();
    }
}
