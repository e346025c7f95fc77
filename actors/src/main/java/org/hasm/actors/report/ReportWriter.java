package org.hasm.actors.report;

import static org.hasm.actors.report.ReportKit.escape;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Writes a run's report directory: {@code report.html} (self-contained: uPlot and the data inline, so
 * it opens offline), {@code summary.json} and {@code readings.csv} (one row per metering interval, every
 * column name in snake_case, a column per policy rule that dropped and per log segment:
 * {@code drops_p5}, {@code entries_metrology_log}).
 */
public final class ReportWriter {
    public static final String HTML = "report.html";
    public static final String JSON = "summary.json";
    public static final String CSV = "readings.csv";

    /** What {@code summary.json} holds: the run, its totals and its alerts; the intervals are in the CSV. */
    public record Summary(String scenario, String description, long seed, int meters, int days, String start,
                          long intervalMinutes, int intervals, SimulationReport.Totals totals,
                          List<SimulationReport.Alert> alerts) {
    }

    private ReportWriter() {
    }

    /** Writes the three files into {@code dir}, creating it if needed, replacing files of an earlier run. */
    public static void write(Path dir, SimulationReport r) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(HTML), html(r), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(JSON), ReportKit.json(summary(r)), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(CSV), csv(r), StandardCharsets.UTF_8);
    }

    static Summary summary(SimulationReport r) {
        return new Summary(r.scenario(), r.description(), r.seed(), r.meters(), r.days(),
                Instant.ofEpochMilli(r.start()).toString(), Duration.ofMillis(r.intervalMillis()).toMinutes(),
                r.intervals().size(), r.totals(), r.alerts());
    }

    static String csv(SimulationReport r) {
        List<String> rules = keys(r, SimulationReport.Interval::drops);
        List<String> segments = keys(r, SimulationReport.Interval::logEntries);
        StringBuilder out = new StringBuilder("interval,start_utc,aggregate_wh,feeder_wh,meters_on,meters_off,meters_armed,"
                + "prepaid_credit_sum_millicents,prepaid_credit_min_millicents");
        rules.forEach(k -> out.append(',').append(column("drops", k)));
        segments.forEach(k -> out.append(',').append(column("entries", k)));
        out.append('\n');
        for (SimulationReport.Interval i : r.intervals()) {
            out.append(i.index()).append(',').append(Instant.ofEpochMilli(i.time())).append(',').append(i.aggregateWh())
                    .append(',').append(i.feederWh()).append(',').append(i.metersOn()).append(',').append(i.metersOff())
                    .append(',').append(i.metersArmed()).append(',').append(i.prepaidCreditSum()).append(',')
                    .append(i.prepaidCreditMin());
            rules.forEach(k -> out.append(',').append(i.drops().getOrDefault(k, 0L)));
            segments.forEach(k -> out.append(',').append(i.logEntries().getOrDefault(k, 0L)));
            out.append('\n');
        }
        return out.toString();
    }

    static String html(SimulationReport r) {
        return ReportKit.fill(ReportWriter.class, "simulation.html", Map.of(
                "TITLE", escape(r.scenario()),
                "SUBTITLE", escape(subtitle(r)),
                "SUMMARY", summaryTable(r),
                "ALERTS", alertTable(r),
                "DATA", ReportKit.scriptJson(r)));
    }

    private static String subtitle(SimulationReport r) {
        return String.format(Locale.ROOT, "%s%,d households, %d day%s from %s, %d-minute intervals, seed %d",
                r.description().isBlank() ? "" : r.description() + " — ", r.meters(), r.days(), r.days() == 1 ? "" : "s",
                Instant.ofEpochMilli(r.start()), Duration.ofMillis(r.intervalMillis()).toMinutes(), r.seed());
    }

    private static String summaryTable(SimulationReport r) {
        SimulationReport.Totals t = r.totals();
        StringBuilder s = new StringBuilder("<table>\n");
        row(s, "readings", number(t.readings()));
        row(s, "bills", number(t.bills()));
        row(s, "switch events", number(t.switchEvents()));
        row(s, "alerts", number(t.alerts()));
        if (t.dropsPerRule().isEmpty()) {
            row(s, "policy drops", "none");
        }
        t.dropsPerRule().forEach((rule, n) -> row(s, "policy drops, " + rule, number(n)));
        t.entriesPerSegment().forEach((segment, n) -> row(s, "log entries, " + segment, number(n)));
        row(s, "readings per second", String.format(Locale.ROOT, "%,.0f", t.readingsPerSecond()));
        row(s, "wall time", String.format(Locale.ROOT, "%.1f s", t.wallTimeMillis() / 1000.0));
        s.append("<tr><td>fingerprint</td><td class=\"fp\">").append(escape(t.fingerprint())).append("</td></tr>\n");
        return s.append("</table>").toString();
    }

    private static String alertTable(SimulationReport r) {
        if (r.alerts().isEmpty()) {
            return "<p class=\"note\">none</p>";
        }
        StringBuilder s = new StringBuilder("<table>\n<tr><th>time (UTC)</th><th>kind</th><th>detail</th></tr>\n");
        int shown = Math.min(20, r.alerts().size());
        for (SimulationReport.Alert a : r.alerts().subList(0, shown)) {
            s.append("<tr><td>").append(escape(Instant.ofEpochMilli(a.time()).toString())).append("</td><td>")
                    .append(escape(a.kind())).append("</td><td>").append(escape(a.detail())).append("</td></tr>\n");
        }
        if (shown < r.alerts().size()) {
            s.append("<tr><td colspan=\"3\" class=\"note\">and ").append(number(r.alerts().size() - shown))
                    .append(" more in ").append(JSON).append("</td></tr>\n");
        }
        return s.append("</table>").toString();
    }

    private static void row(StringBuilder s, String label, String value) {
        s.append("<tr><td>").append(escape(label)).append("</td><td class=\"n\">").append(escape(value)).append("</td></tr>\n");
    }

    private static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static List<String> keys(SimulationReport r, Function<SimulationReport.Interval, Map<String, Long>> field) {
        return r.intervals().stream().flatMap(i -> field.apply(i).keySet().stream())
                .collect(Collectors.toCollection(TreeSet::new)).stream().toList();
    }

    /**
     * A column name in snake_case, so that tools read it without quoting: drops_p5 for rule P5,
     * entries_metrology_log for segment metrology-log (or MetrologyLog).
     */
    static String column(String prefix, String key) {
        String words = key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_|_$", "");
        return prefix + "_" + words.toLowerCase(Locale.ROOT);
    }
}
