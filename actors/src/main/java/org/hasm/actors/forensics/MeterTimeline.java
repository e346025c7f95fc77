package org.hasm.actors.forensics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.hasm.persistence.Segment;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.policy.Part;

/**
 * A meter's segments merged in time order, with the central system's view beside them: its account's
 * events (commands issued, acknowledgements, anchors, bills, refused frames) and the operator gateway's
 * requests that named the meter, and the fraud alerts of its concentrator.
 */
public final class MeterTimeline {
    public static final String CENTRAL = "central";
    public static final String GATEWAY = "gateway";

    /** One line; {@code seq} is the entry's sequence number, or the event's place in the account's journal. */
    public record Row(long time, String at, String source, long seq, String kind, String key, String value) {
    }

    private MeterTimeline() {
    }

    /** Every source a timeline can show: the six segment names, {@value #CENTRAL} and {@value #GATEWAY}. */
    public static List<String> sources() {
        List<String> names = new ArrayList<>();
        JournalStore.segments().forEach(p -> names.add(Segment.journalName(p)));
        names.add(CENTRAL);
        names.add(GATEWAY);
        return names;
    }

    /**
     * @param sources the sources to show ({@link #sources()}); all of them if empty
     */
    public static List<Row> of(MeterLogs logs, OperatorTrail gateway, long from, long to, Set<String> sources) {
        return of(logs, gateway, FraudAlerts.none(), from, to, sources);
    }

    /** With the fraud alerts of the meter's concentrator as {@value #CENTRAL} rows, at the end of their window (when raised). */
    public static List<Row> of(MeterLogs logs, OperatorTrail gateway, FraudAlerts alerts, long from, long to, Set<String> sources) {
        List<Row> rows = new ArrayList<>();
        for (Part p : JournalStore.segments()) {
            String name = Segment.journalName(p);
            for (Segment.Entry e : logs.entries(p)) {
                rows.add(new Row(e.time(), ForensicTime.show(e.time()), name, e.seq(), e.kind(), e.key(), e.value()));
            }
        }
        long n = 0;
        for (MeterLogs.CentralEvent c : logs.central()) {
            n++;
            rows.add(new Row(c.time(), ForensicTime.show(c.time()) + (c.timeInferred() ? "~" : ""), CENTRAL, n, c.kind(), "",
                    c.detail()));
        }
        for (FraudAlerts.Alert a : alerts.concerning(logs.meterId())) {
            rows.add(new Row(a.toTime(), a.to(), CENTRAL, 0, a.verified() ? "fraud-alert" : "fraud-alert-refused", a.concentratorId(),
                    "suspicious from " + a.from() + ": " + a.describe()));
        }
        for (OperatorTrail.Step s : gateway.steps(logs.meterId())) {
            rows.add(new Row(s.time(), ForensicTime.show(s.time()), GATEWAY, 0, s.kind(), s.requestId(), s.detail()));
        }
        List<String> order = sources();
        return rows.stream()
                .filter(r -> r.time() >= from && r.time() <= to)
                .filter(r -> sources.isEmpty() || sources.contains(r.source()))
                .sorted(Comparator.comparingLong(Row::time).thenComparingInt(r -> order.indexOf(r.source()))
                        .thenComparingLong(Row::seq))
                .toList();
    }
}
