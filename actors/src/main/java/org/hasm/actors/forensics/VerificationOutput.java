package org.hasm.actors.forensics;

import static org.hasm.actors.report.ReportKit.element;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.hasm.actors.forensics.StoreVerification.AccountCheck;
import org.hasm.actors.forensics.StoreVerification.Result;
import org.hasm.actors.forensics.StoreVerification.SegmentCheck;
import org.hasm.actors.report.ReportKit;

/**
 * What {@code hasm replay verify} prints: a table, JSON or a self-contained HTML page. By default the
 * segments and accounts that failed, after a summary of everything checked; with {@code all} every one.
 */
public final class VerificationOutput {
    /**
     * The JSON document. {@code reach}: how far the logs go, by ranges of meters whose newest entry has the same
     * time; {@code notProvable}: the intact segments with entries after their last anchor (always listed).
     */
    public record Document(String store, boolean intact, boolean endedCleanly, Long newestEntry, long segmentsChecked,
                           long entries, long accountsChecked, long anchors, long failingSegments, long failingAccounts,
                           long notProvableSegments, long notProvableEntries, long millis, List<MeterRange> reach,
                           List<SegmentCheck> notProvable, List<SegmentCheck> segments, List<AccountCheck> accounts) {
    }

    /** Meters {@code first}..{@code last} (in id order, {@code meters} of them) whose newest entry is at {@code newest}. */
    public record MeterRange(String first, String last, long meters, long newest) {
    }

    /** Tables list this many rows of reach and of unanchored tails; --all lists every one. */
    static final int SHORT_LIST = 20;

    private VerificationOutput() {
    }

    public static Document document(Result r, boolean all) {
        List<SegmentCheck> failing = r.failingSegments();
        List<AccountCheck> failingAccounts = r.failingAccounts();
        List<SegmentCheck> notProvable = r.notProvable();
        return new Document(r.store(), r.intact(), r.endedCleanly(), newest(r), r.segments().size(), r.entries(),
                r.accounts().size(), r.anchors(), failing.size(), failingAccounts.size(), notProvable.size(),
                notProvable.stream().mapToLong(SegmentCheck::unanchored).sum(), r.millis(), reach(r), notProvable,
                all ? r.segments() : failing, all ? r.accounts() : failingAccounts);
    }

    private static Long newest(Result r) {
        return r.segments().stream().map(SegmentCheck::newestTime).filter(t -> t != null).max(Long::compare).orElse(null);
    }

    /** Each meter's newest entry over its segments, in meter order, runs of the same time joined into one range. */
    static List<MeterRange> reach(Result r) {
        Map<String, Long> newest = new TreeMap<>();
        for (SegmentCheck s : r.segments()) {
            if (s.newestTime() != null) {
                newest.merge(s.meterId(), s.newestTime(), Math::max);
            }
        }
        List<MeterRange> ranges = new ArrayList<>();
        newest.forEach((meter, time) -> {
            MeterRange last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
            if (last != null && last.newest() == time) {
                ranges.set(ranges.size() - 1, new MeterRange(last.first(), meter, last.meters() + 1, time));
            } else {
                ranges.add(new MeterRange(meter, meter, 1, time));
            }
        });
        return ranges;
    }

    /** One line on how far the logs go and whether the run that wrote them stopped cleanly. */
    public static String ending(Result r) {
        Long newest = newest(r);
        if (newest == null) {
            return "the store holds no entries";
        }
        List<SegmentCheck> tails = r.notProvable();
        String reach = "the logs reach " + ForensicTime.show(newest);
        if (r.endedCleanly()) {
            return reach + "; every segment's newest entry is anchored" + (r.intact() ? " (the run stopped cleanly)" : "");
        }
        long entries = tails.stream().mapToLong(SegmentCheck::unanchored).sum();
        return String.format(Locale.ROOT, "%s; %,d segment(s) of %,d meter(s) hold %,d entries after their last anchor:"
                        + " not provable (the run did not stop cleanly, or its closing anchors were lost)", reach, tails.size(),
                tails.stream().map(SegmentCheck::meterId).distinct().count(), entries);
    }

    public static String json(Result r, boolean all) {
        return ReportKit.json(document(r, all));
    }

    public static String summary(Result r) {
        return String.format(Locale.ROOT, "%s: %,d segments with %,d entries, %,d central accounts with %,d anchors checked"
                        + " in %.1f s: %s", r.store(), r.segments().size(), r.entries(), r.accounts().size(), r.anchors(),
                r.millis() / 1000.0, r.intact() ? "all intact"
                        : r.failingSegments().size() + " segment(s) and " + r.failingAccounts().size() + " account(s) FAIL");
    }

    public static String table(Result r, boolean all) {
        StringBuilder out = new StringBuilder(summary(r)).append('\n').append(ending(r)).append('\n');
        List<MeterRange> reach = reach(r);
        if (reach.size() > 1 || !r.endedCleanly()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"meters", "count", "newest entry"});
            shortList(reach, all).forEach(m -> rows.add(new String[] {m.first().equals(m.last()) ? m.first() : m.first() + ".." + m.last(),
                    String.format(Locale.ROOT, "%,d", m.meters()), ForensicTime.show(m.newest())}));
            out.append('\n').append(columns(rows)).append(more(reach.size(), all));
        }
        List<SegmentCheck> tails = r.notProvable();
        if (!tails.isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"meter", "segment", "entries", "after last anchor", "from", "to", "verdict"});
            for (SegmentCheck s : shortList(tails, all)) {
                rows.add(new String[] {s.meterId(), s.segment(), String.format(Locale.ROOT, "%,d", s.entries()),
                        String.format(Locale.ROOT, "%,d", s.unanchored()), ForensicTime.show(s.unanchoredFrom()),
                        ForensicTime.show(s.unanchoredTo()), "not provable"});
            }
            out.append('\n').append(columns(rows)).append(more(tails.size(), all));
        }
        List<SegmentCheck> segments = all ? r.segments() : r.failingSegments();
        if (!segments.isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"meter", "segment", "entries", "anchors", "first bad entry", "reason", "detail"});
            for (SegmentCheck s : segments) {
                rows.add(new String[] {s.meterId(), s.segment(), String.format(Locale.ROOT, "%,d", s.entries()),
                        String.format(Locale.ROOT, "%,d", s.anchorsChecked()), s.firstBadEntry() == null ? "-" : s.firstBadEntry().toString(),
                        s.intact() ? "ok" : s.reason(), s.intact() ? "" : s.detail()});
            }
            out.append('\n').append(columns(rows));
        }
        List<AccountCheck> accounts = all ? r.accounts() : r.failingAccounts();
        if (!accounts.isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"central account", "events", "anchors", "first bad event", "reason", "detail"});
            for (AccountCheck a : accounts) {
                rows.add(new String[] {a.meterId(), String.format(Locale.ROOT, "%,d", a.events()),
                        String.format(Locale.ROOT, "%,d", a.anchors()), a.firstBadEvent() == null ? "-" : a.firstBadEvent().toString(),
                        a.intact() ? "ok" : a.reason(), a.intact() ? "" : a.detail()});
            }
            out.append('\n').append(columns(rows));
        }
        return out.toString();
    }

    private static <T> List<T> shortList(List<T> rows, boolean all) {
        return all || rows.size() <= SHORT_LIST ? rows : rows.subList(0, SHORT_LIST);
    }

    private static String more(int rows, boolean all) {
        return all || rows <= SHORT_LIST ? "" : String.format(Locale.ROOT, "... and %,d more (--all lists them)%n", rows - SHORT_LIST);
    }

    /** Left-aligned columns; the last one is free text and not padded. */
    private static String columns(List<String[]> rows) {
        int n = rows.get(0).length;
        int[] width = new int[n];
        for (String[] row : rows) {
            for (int i = 0; i < n - 1; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < n; i++) {
                line.append(i < n - 1 ? String.format("%-" + width[i] + "s  ", row[i]) : row[i]);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** A page that opens offline: no script, the style inline. */
    public static String html(Result r, boolean all) {
        StringBuilder out = new StringBuilder();
        out.append(element("p", r.endedCleanly() ? "ok" : null, ending(r))).append('\n');
        List<SegmentCheck> tails = r.notProvable();
        if (!tails.isEmpty()) {
            out.append("<h2>Not provable: entries after the last anchor</h2>\n<table><tr><th>meter</th><th>segment</th>"
                    + "<th>entries</th><th>after last anchor</th><th>from</th><th>to</th></tr>\n");
            for (SegmentCheck s : shortList(tails, all)) {
                out.append("<tr>").append(element("td", null, s.meterId())).append(element("td", null, s.segment()))
                        .append(number(s.entries())).append(number(s.unanchored()))
                        .append(element("td", null, ForensicTime.show(s.unanchoredFrom())))
                        .append(element("td", null, ForensicTime.show(s.unanchoredTo()))).append("</tr>\n");
            }
            out.append("</table>\n").append(element("p", null, more(tails.size(), all)));
        }
        List<SegmentCheck> segments = all ? r.segments() : r.failingSegments();
        out.append("<h2>").append(all ? "Segments" : "Failing segments").append("</h2>\n");
        if (segments.isEmpty()) {
            out.append("<p>none</p>\n");
        } else {
            out.append("<table><tr><th>meter</th><th>segment</th><th>entries</th><th>anchors</th><th>first bad entry</th>"
                    + "<th>reason</th><th>detail</th></tr>\n");
            for (SegmentCheck s : segments) {
                out.append("<tr>").append(element("td", null, s.meterId())).append(element("td", null, s.segment()))
                        .append(number(s.entries())).append(number(s.anchorsChecked())).append(number(s.firstBadEntry()))
                        .append(verdict(s.intact(), s.reason(), s.detail())).append("</tr>\n");
            }
            out.append("</table>\n");
        }
        List<AccountCheck> accounts = all ? r.accounts() : r.failingAccounts();
        out.append("<h2>").append(all ? "Central accounts" : "Failing central accounts").append("</h2>\n");
        if (accounts.isEmpty()) {
            out.append("<p>none</p>\n");
        } else {
            out.append("<table><tr><th>meter</th><th>events</th><th>anchors</th><th>first bad event</th><th>reason</th>"
                    + "<th>detail</th></tr>\n");
            for (AccountCheck a : accounts) {
                out.append("<tr>").append(element("td", null, a.meterId())).append(number(a.events()))
                        .append(number(a.anchors())).append(number(a.firstBadEvent()))
                        .append(verdict(a.intact(), a.reason(), a.detail())).append("</tr>\n");
            }
            out.append("</table>\n");
        }
        return ReportKit.fill(VerificationOutput.class, "verify.html", Map.of("VERDICT", r.intact() ? "ok" : "fail",
                "SUMMARY", ReportKit.escape(summary(r)), "BODY", out.toString()));
    }

    private static String number(Object n) {
        return element("td", "n", n == null ? "" : n.toString());
    }

    /** The reason and detail cells: "ok" and nothing for an intact chain. */
    private static String verdict(boolean intact, String reason, String detail) {
        return intact ? element("td", "ok", "ok") + element("td", null, "")
                : element("td", "fail", reason) + element("td", null, detail);
    }
}
