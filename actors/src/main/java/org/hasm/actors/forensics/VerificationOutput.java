package org.hasm.actors.forensics;

import static org.hasm.actors.report.ReportKit.element;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hasm.actors.forensics.StoreVerification.AccountCheck;
import org.hasm.actors.forensics.StoreVerification.Result;
import org.hasm.actors.forensics.StoreVerification.SegmentCheck;
import org.hasm.actors.report.ReportKit;

/**
 * What {@code hasm replay verify} prints: a table, JSON or a self-contained HTML page. By default the
 * segments and accounts that failed, after a summary of everything checked; with {@code all} every one.
 */
public final class VerificationOutput {
    /** The JSON document. */
    public record Document(String store, boolean intact, long segmentsChecked, long entries, long accountsChecked,
                           long anchors, long failingSegments, long failingAccounts, long millis,
                           List<SegmentCheck> segments, List<AccountCheck> accounts) {
    }

    private VerificationOutput() {
    }

    public static Document document(Result r, boolean all) {
        List<SegmentCheck> failing = r.failingSegments();
        List<AccountCheck> failingAccounts = r.failingAccounts();
        return new Document(r.store(), r.intact(), r.segments().size(), r.entries(), r.accounts().size(), r.anchors(),
                failing.size(), failingAccounts.size(), r.millis(), all ? r.segments() : failing,
                all ? r.accounts() : failingAccounts);
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
        StringBuilder out = new StringBuilder(summary(r)).append('\n');
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
