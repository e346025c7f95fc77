package org.hasm.actors.forensics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hasm.actors.meter.LogEntry;
import org.hasm.actors.meter.MetrologyLogEntry;
import org.hasm.actors.meter.OffSwitchLogEntry;
import org.hasm.persistence.Segment;
import org.hasm.policy.Part;

/**
 * What one meter's account at the central system proves the meter's logs must hold, whatever their anchors
 * say: every reading the central system received is a MetrologyLog entry, and every switch command the
 * meter acknowledged as accepted is an OffSwitchLog entry. An attacker who cuts such entries from the meter
 * after the last anchor (a crash left the tail unanchored) is still caught here, unless the central
 * journal is rewritten too. Not thread-safe while collecting; read-only once the account is read.
 */
final class CentralEvidence {
    static final String METROLOGY_LOG = Segment.journalName(Part.MetrologyLog);
    static final String OFF_SWITCH_LOG = Segment.journalName(Part.OffSwitchLog);

    /** A reading as the central system received it, in event {@code event} of the account. */
    record Reading(MetrologyLogEntry.Reading reading, long event) {
    }

    /** A switch command the meter reported accepted, in event {@code event}, at (about) {@code time}. */
    record AcceptedSwitch(long sequence, long event, long time) {
    }

    private final List<Reading> readings = new ArrayList<>();
    private final List<AcceptedSwitch> switches = new ArrayList<>();

    void reading(long intervalStart, long intervalEnd, long importWh, long exportWh, long event) {
        readings.add(new Reading(new MetrologyLogEntry.Reading(intervalStart, intervalEnd, importWh, exportWh), event));
    }

    void acceptedSwitch(long sequence, String verdict, long event, long time) {
        if (LogEntry.ACCEPTED.equals(verdict)) {
            switches.add(new AcceptedSwitch(sequence, event, time));
        }
    }

    /** Whether the account proves {@code segment} holds entries at all. */
    boolean expects(String segment) {
        return segment.equals(METROLOGY_LOG) ? !readings.isEmpty() : segment.equals(OFF_SWITCH_LOG) && !switches.isEmpty();
    }

    /**
     * The first central event whose entry {@code segment} lacks, as a {@link StoreVerification.Problem}
     * named at the entry after the segment's newest one (where the missing entry would have to be).
     */
    Optional<StoreVerification.Problem> missingFrom(String segment, List<Segment.Entry> entries) {
        long after = entries.isEmpty() ? 1 : entries.get(entries.size() - 1).seq() + 1;
        if (segment.equals(METROLOGY_LOG)) {
            return missingReading(entries, after);
        }
        if (segment.equals(OFF_SWITCH_LOG)) {
            return missingSwitch(entries, after);
        }
        return Optional.empty();
    }

    private Optional<StoreVerification.Problem> missingReading(List<Segment.Entry> entries, long after) {
        if (readings.isEmpty()) {
            return Optional.empty();
        }
        Set<MetrologyLogEntry.Reading> logged = new HashSet<>();
        boolean released = false;
        long oldestKept = Long.MAX_VALUE;
        for (Segment.Entry e : entries) {
            if (e.kind().equals(MetrologyLogEntry.READING)) {
                MetrologyLogEntry.Reading.parse(e.value()).ifPresent(logged::add);
                oldestKept = Math.min(oldestKept, e.time());
            } else if (e.kind().equals(Segment.RELEASED)) {
                released = true;
            }
        }
        for (Reading r : readings) {
            // readings the central system acknowledged may have been released from the meter: only those older
            // than the oldest reading kept can be gone, and ChainVerifier checks the release itself
            boolean mayBeReleased = released && r.reading().intervalEnd() < oldestKept;
            if (!mayBeReleased && !logged.contains(r.reading())) {
                return Optional.of(new StoreVerification.Problem(after, "MISSING_ENTRY", "the central system received the"
                        + " reading of " + ForensicTime.show(r.reading().intervalStart()) + ".." + ForensicTime.show(r.reading().intervalEnd())
                        + " (account event " + r.event() + ") that the log does not hold: entries were cut from the meter"));
            }
        }
        return Optional.empty();
    }

    private Optional<StoreVerification.Problem> missingSwitch(List<Segment.Entry> entries, long after) {
        if (switches.isEmpty()) {
            return Optional.empty();
        }
        Set<Long> accepted = new HashSet<>();
        for (Segment.Entry e : entries) {
            if (e.kind().equals(OffSwitchLogEntry.REMOTE_COMMAND)) {
                OffSwitchLogEntry.RemoteCommand.parse(e.value()).filter(OffSwitchLogEntry.RemoteCommand::accepted)
                        .flatMap(OffSwitchLogEntry.RemoteCommand::switchCommand).ifPresent(c -> accepted.add(c.sequence()));
            }
        }
        for (AcceptedSwitch s : switches) {
            if (!accepted.contains(s.sequence())) {
                return Optional.of(new StoreVerification.Problem(after, "MISSING_ENTRY", "the meter reported switch command #"
                        + s.sequence() + " accepted (account event " + s.event() + ", about " + ForensicTime.show(s.time())
                        + ") but the log does not hold its acceptance: entries were cut from the meter"));
            }
        }
        return Optional.empty();
    }
}
