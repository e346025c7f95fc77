package org.hasm.actors.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.hasm.actors.meter.OffSwitchLogEntry.CommandResult;
import org.hasm.actors.meter.OffSwitchLogEntry.OffCause;
import org.hasm.actors.meter.OffSwitchLogEntry.RemoteCommand;
import org.hasm.actors.meter.OffSwitchLogEntry.StateChange;
import org.hasm.actors.meter.OffSwitchLogEntry.SwitchCommand;
import org.hasm.actors.meter.OffSwitchLogEntry.SwitchState;
import org.hasm.actors.meter.OffSwitchLogEntry.Switched;
import org.hasm.persistence.FoldedAttempts;
import org.junit.jupiter.api.Test;

/** The logs' words: each entry's text is the bytes stored before they were typed, and reads back as the same record. */
class LogEntryTest {

    @Test
    void securityLogEntriesWriteTheStoredBytesAndReadThemBack() {
        SecurityLogEntry.Command command = new SecurityLogEntry.Command("SET_TARIFF", 2, "ACCEPTED");
        assertEquals("SET_TARIFF #2 ACCEPTED", command.text());
        assertEquals(Optional.of(command), SecurityLogEntry.Command.parse(command.text()));
        assertTrue(command.accepted());
        assertFalse(SecurityLogEntry.Command.parse("CLOCK_SYNC #3 REFUSED (payload)").orElseThrow().accepted());
        assertTrue(SecurityLogEntry.Command.parse("MALFORMED READINGS frame #7").isEmpty());
        assertEquals("MALFORMED READINGS frame #7", new SecurityLogEntry.MalformedCommandFrame("READINGS", 7).text());

        SecurityLogEntry.TopUp topUp = new SecurityLogEntry.TopUp(1, 500, "ACCEPTED");
        assertEquals("token #1 500 cents ACCEPTED", topUp.text());
        assertEquals(Optional.of(topUp), SecurityLogEntry.TopUp.parse(topUp.text()));
        assertEquals("MALFORMED (12 bytes)", new SecurityLogEntry.MalformedTopUp(12).text());
        assertEquals("REPLAYED (98 bytes)", new SecurityLogEntry.FrameRefused("REPLAYED", 98).text());
        assertEquals("MALFORMED frame #12", new SecurityLogEntry.MalformedAcknowledgement(12).text());
        assertEquals("boiler off ACCEPTED", SecurityLogEntry.ApplianceSwitch.accepted("boiler", false).text());
        assertEquals("boiler on REJECTED (P13: too often)", SecurityLogEntry.ApplianceSwitch.rejected("boiler", true, "too often").text());
        assertEquals("tech-1 'read' VALID", new SecurityLogEntry.TechnicianAccess("tech-1", "read", "VALID").text());

        assertTrue(SecurityLogEntry.refusedAttempt(SecurityLogEntry.FRAME_REFUSED, "REPLAYED (98 bytes)"));
        assertFalse(SecurityLogEntry.refusedAttempt(SecurityLogEntry.COMMAND, command.text()));
        assertFalse(SecurityLogEntry.refusedAttempt(SecurityLogEntry.TECHNICIAN_ACCESS, "tech-1 'read' VALID"));
    }

    @Test
    void offSwitchLogEntriesWriteTheStoredBytesAndReadThemBack() {
        SwitchState after = new SwitchState(Supply.ON, OffCause.NONE, 1);
        RemoteCommand remote = new RemoteCommand(new SwitchCommand(false, 1).text(), "ACCEPTED", 1);
        StateChange entry = new StateChange(remote, after);
        assertEquals("remote-command", entry.kind());
        assertEquals("SWITCH_OFF #1 ACCEPTED lastSequence=1 | supply=ON cause=NONE sequence=1", entry.text());
        assertEquals(Optional.of(remote), RemoteCommand.parse(entry.text()));
        assertEquals(Optional.of(new SwitchCommand(false, 1)), remote.switchCommand());
        assertEquals(after, SwitchState.ofValue(entry.text()));
        assertEquals(SwitchState.INITIAL, SwitchState.ofValue(null));
        assertTrue(new RemoteCommand("12 bytes", "MALFORMED", 0).switchCommand().isEmpty());

        Switched off = new Switched(Supply.OFF, Switched.byRemoteCommand(1));
        StateChange actuation = new StateChange(off, new SwitchState(Supply.OFF, OffCause.REMOTE, 1));
        assertEquals("actuation", actuation.kind());
        assertEquals("OFF (remote command #1) | supply=OFF cause=REMOTE sequence=1", actuation.text());
        assertEquals(Optional.of(off), Switched.parse(actuation.text()));
        assertEquals(Optional.of(1L), off.remoteCommand());
        Switched armed = new Switched(Supply.ARMED, Switched.WHY_CREDIT_RESTORED);
        assertEquals("armed", armed.kind());
        assertEquals("ARMED (credit restored)", armed.text());

        assertEquals("supply=ON", new OffSwitchLogEntry.ZeroCreditTrigger(Supply.ON).text());
        assertEquals("supply=OFF cause=ZERO_CREDIT", new OffSwitchLogEntry.CreditRestored(Supply.OFF, OffCause.ZERO_CREDIT).text());
        assertEquals("supply=ARMED", new OffSwitchLogEntry.LocalConfirmation(Supply.ARMED).text());
        assertEquals("40", new OffSwitchLogEntry.ReportCountersReserved(40).text());

        CommandResult result = new CommandResult("SWITCH_OFF #1", "ACCEPTED", Supply.OFF);
        assertEquals("SWITCH_OFF #1 ACCEPTED supply=OFF", result.text());
        assertEquals(Optional.of(result), CommandResult.parse(result.text()));
        assertTrue(CommandResult.parse("12 bytes MALFORMED supply=ON").orElseThrow().switchCommand().isEmpty());
    }

    @Test
    void readingsAndFoldedRefusalsWriteTheStoredBytesAndReadThemBack() {
        MetrologyLogEntry.Reading reading = new MetrologyLogEntry.Reading(1_700_000_000_000L, 1_700_000_900_000L, 120, 0);
        assertEquals("1700000000000..1700000900000 import=120Wh export=0Wh", reading.text());
        assertEquals(Optional.of(reading), MetrologyLogEntry.Reading.parse(reading.text()));

        FoldedAttempts attempts = new FoldedAttempts();
        attempts.add(5, "x");
        attempts.add(9, "y");
        LogEntry.RefusalsFolded folded = new LogEntry.RefusalsFolded("DC", "frame-refused", attempts.summary());
        assertTrue(folded.text().startsWith("iface=DC kind=frame-refused count=2 first=5 last=9 sha256="), folded.text());
        assertEquals(Optional.of(folded), LogEntry.RefusalsFolded.parse(folded.text()));
        FoldedAttempts.Summary summary = FoldedAttempts.Summary.in(folded.text()).orElseThrow();
        assertEquals(2, summary.count());
        assertEquals(folded.folded(), summary.text());
        assertTrue(LogEntry.RefusalsFolded.isReport(folded.report()));
    }
}
