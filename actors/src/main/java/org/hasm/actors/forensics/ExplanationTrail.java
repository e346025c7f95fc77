package org.hasm.actors.forensics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.forensics.Explanation.Note;
import org.hasm.actors.meter.LogEntry.RefusalsFolded;
import org.hasm.actors.meter.OffSwitchLogEntry;
import org.hasm.actors.meter.OffSwitchLogEntry.SwitchCommand;
import org.hasm.actors.meter.SecurityLogEntry;
import org.hasm.persistence.FoldedAttempts;
import org.hasm.persistence.Segment;
import org.hasm.policy.Part;

/**
 * The trail beside an {@link Explanation}'s findings: what changed nothing. Refused attempts and folded
 * floods in the meter's logs, frames the central system refused, operator requests naming the meter,
 * fraud alerts about it, and switch commands issued that the meter never accepted.
 */
final class ExplanationTrail {
    /** Kinds of the segments' own notes on floods, listed one by one in the trail. */
    private static final Set<String> LISTED_ONE_BY_ONE = Set.of(RefusalsFolded.KIND, Segment.QUOTA_REACHED, Segment.QUOTA_SUPPRESSED);

    private ExplanationTrail() {
    }

    /**
     * @param switchIssued the switch commands the central system issued to the meter
     * @param accepted     the sequences of those the OffSwitchLog shows accepted
     */
    static List<Note> of(MeterLogs logs, OperatorTrail gateway, FraudAlerts alerts,
                         Collection<MeterAccount.SwitchCommandIssued> switchIssued, Set<Long> accepted) {
        List<Note> trail = new ArrayList<>();
        for (Part p : List.of(Part.SecurityLog, Part.OffSwitchLog)) {
            inLog(logs, p, trail);
        }
        atCentral(logs, trail);
        for (OperatorTrail.Request r : gateway.requestsNaming(logs.meterId())) {
            var first = r.attempts().get(0);
            trail.add(new Note(MeterTimeline.GATEWAY, r.scheduled() == null ? "operator request not executed" : "operator request executed",
                    1, ForensicTime.show(first.at()), ForensicTime.show(r.attempts().get(r.attempts().size() - 1).at()),
                    r.describe() + (r.scheduled() == null ? "; no switch command was issued for it" : "")));
        }
        for (FraudAlerts.Alert a : alerts.concerning(logs.meterId())) {
            trail.add(new Note(MeterTimeline.CENTRAL, a.verified() ? Explanation.FRAUD_ALERT : Explanation.FRAUD_ALERT_REFUSED, 1,
                    a.from(), a.to(), a.describe()));
        }
        switchIssued.stream().filter(s -> !accepted.contains(s.sequence())).forEach(s -> trail.add(new Note(
                MeterTimeline.CENTRAL, "switch command not accepted by the meter", 1, ForensicTime.show(s.issuedAt()),
                ForensicTime.show(s.issuedAt()), new SwitchCommand(s.on(), s.sequence()).text()
                        + " request=" + s.requestId() + ": no accepted entry for it in the OffSwitchLog")));
        return trail;
    }

    /** One log's notes on floods one by one, then its refused attempts as one note per kind. */
    private static void inLog(MeterLogs logs, Part p, List<Note> trail) {
        Map<String, List<Segment.Entry>> refused = new TreeMap<>();
        for (Segment.Entry e : logs.entries(p)) {
            Optional<FoldedAttempts.Summary> folded = FoldedAttempts.Summary.in(e.value());
            if (LISTED_ONE_BY_ONE.contains(e.kind()) && folded.isPresent()) {
                // a summary commits to the attempts it stands for: how many, from when to when, their digest
                FoldedAttempts.Summary f = folded.get();
                trail.add(new Note(Segment.journalName(p), e.kind(), f.count(), ForensicTime.show(f.first()),
                        ForensicTime.show(f.last()), "#" + e.seq() + " " + e.value()));
            } else if (LISTED_ONE_BY_ONE.contains(e.kind())) {
                trail.add(new Note(Segment.journalName(p), e.kind(), 1, ForensicTime.show(e.time()), ForensicTime.show(e.time()),
                        "#" + e.seq() + " " + e.value()));
            } else if (SecurityLogEntry.refusedAttempt(e.kind(), e.value()) || OffSwitchLogEntry.refusedAttempt(e.kind(), e.value())) {
                refused.computeIfAbsent(e.kind(), k -> new ArrayList<>()).add(e);
            }
        }
        refused.forEach((kind, entries) -> trail.add(new Note(Segment.journalName(p), "refused " + kind, entries.size(),
                ForensicTime.show(entries.get(0).time()), ForensicTime.show(entries.get(entries.size() - 1).time()),
                "first: " + entries.get(0).value())));
    }

    /** The central system's reports of folded refusals, then the frames it refused, one note per cause. */
    private static void atCentral(MeterLogs logs, List<Note> trail) {
        Map<String, List<MeterLogs.CentralEvent>> refusedFrames = new TreeMap<>();
        for (MeterLogs.CentralEvent c : logs.central()) {
            if (c.event() instanceof MeterAccount.FrameRefused r) {
                refusedFrames.computeIfAbsent(r.cause(), k -> new ArrayList<>()).add(c);
            } else if (c.event() instanceof MeterAccount.MeterReport r && RefusalsFolded.isReport(r.text())) {
                trail.add(new Note(MeterTimeline.CENTRAL, "report of folded refusals", 1, ForensicTime.show(c.time()),
                        ForensicTime.show(c.time()), r.text()));
            }
        }
        refusedFrames.forEach((cause, events) -> trail.add(new Note(MeterTimeline.CENTRAL, "refused frames " + cause, events.size(),
                ForensicTime.show(events.get(0).time()), ForensicTime.show(events.get(events.size() - 1).time()),
                "frames from this meter the central system refused")));
    }
}
