package org.hasm.loadtest;

import static org.hasm.actors.report.ReportKit.escape;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.hasm.actors.report.ReportKit;

/**
 * A load test's report, like Gatling's: {@code summary.json}, a self-contained {@code report.html}
 * (uPlot and the data inline) with throughput and response-time percentiles over time, errors by cause and
 * a table per stage, and the same table on the terminal.
 */
public final class LoadTestReport {
    public static final String HTML = "report.html";
    public static final String JSON = "summary.json";
    private static final List<Double> DISTRIBUTION = List.of(0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 75.0, 80.0,
            90.0, 95.0, 99.0, 99.5, 99.9, 99.99, 100.0);

    /** summary.json. Times in milliseconds; {@code kneeRate} only for {@code --find-max}, null if no stage held. */
    public record Summary(String startedAt, String target, String model, int meters, String slo, boolean sloMet,
                          boolean findMax, Double kneeRate, Totals totals, List<StageSummary> stages,
                          List<StageRecorder.Point> series, List<Percentile> distribution) {
    }

    public record Totals(long sent, long tampered, long acknowledged, long readingsCounted, Map<String, Long> errors,
                         Map<String, Double> responseTimeMs, double seconds) {
    }

    public record StageSummary(int index, String label, String model, Double offeredRate, Integer concurrency,
                               double durationSeconds, long sent, long tampered, long acknowledged, long readingsCounted,
                               double throughput, Map<String, Double> responseTimeMs, Map<String, Double> serviceTimeMs,
                               Map<String, Long> errors, boolean sloMet, List<String> sloBroken) {
    }

    /** One point of the whole run's response-time distribution. */
    public record Percentile(double percentile, double ms) {
    }

    private LoadTestReport() {
    }

    /** To read summary.json back: the report kit's mapper. */
    public static ObjectMapper mapper() {
        return ReportKit.mapper();
    }

    public static Summary summarize(String startedAt, String target, int meters, Slo slo, boolean findMax, Double kneeRate,
                             List<StageResult> results) {
        Histogram all = Latencies.histogram();
        Map<String, Long> errors = new TreeMap<>();
        List<StageSummary> stages = new ArrayList<>();
        List<StageRecorder.Point> series = new ArrayList<>();
        long sent = 0;
        long tampered = 0;
        long acknowledged = 0;
        long readings = 0;
        double seconds = 0;
        boolean met = !results.isEmpty();
        for (StageResult r : results) {
            all.add(r.responseTimes());
            r.errors().forEach((cause, n) -> errors.merge(cause, n, Long::sum));
            sent += r.sent();
            tampered += r.tampered();
            acknowledged += r.acknowledged();
            readings += r.readingsCounted();
            seconds += r.seconds();
            series.addAll(r.series());
            List<String> broken = slo.broken(r.responseTimes());
            met &= broken.isEmpty();
            Stage s = r.stage();
            boolean open = s.model() == Stage.Model.OPEN;
            stages.add(new StageSummary(s.index(), s.label(), s.model().name().toLowerCase(Locale.ROOT),
                    open ? s.rate() : null, open ? null : s.concurrency(), s.duration().toMillis() / 1000.0, r.sent(),
                    r.tampered(), r.acknowledged(), r.readingsCounted(), round(r.throughput()),
                    Latencies.millis(r.responseTimes()), Latencies.millis(r.serviceTimes()), new TreeMap<>(r.errors()),
                    broken.isEmpty(), broken));
        }
        List<Percentile> distribution = new ArrayList<>();
        if (all.getTotalCount() > 0) {
            DISTRIBUTION.forEach(p -> distribution.add(new Percentile(p, Latencies.at(all, p) / 1000.0)));
        }
        String model = results.isEmpty() ? "open" : results.get(0).stage().model().name().toLowerCase(Locale.ROOT);
        return new Summary(startedAt, target, model, meters, slo.text(), findMax ? kneeRate != null : met, findMax, kneeRate,
                new Totals(sent, tampered, acknowledged, readings, errors, Latencies.millis(all), round(seconds)), stages,
                series, distribution);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** Writes summary.json and report.html into {@code dir}, creating it, replacing an earlier run's. */
    public static void write(Path dir, Summary s) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(JSON), ReportKit.json(s), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(HTML), html(s), StandardCharsets.UTF_8);
    }

    /** The stage table for the terminal. */
    public static void print(PrintWriter out, Summary s) {
        out.printf(Locale.ROOT, "%n%-22s %10s %10s %8s %10s %9s %9s %9s %9s %9s %9s  %s%n", "stage", "sent", "ok", "errors",
                "ok/s", "p50 ms", "p75 ms", "p95 ms", "p99 ms", "p99.9 ms", "max ms", "SLO " + s.slo());
        for (StageSummary st : s.stages()) {
            long errors = st.errors().values().stream().mapToLong(Long::longValue).sum();
            out.printf(Locale.ROOT, "%-22s %,10d %,10d %,8d %,10.0f %s %s%n", st.label(), st.sent(), st.readingsCounted(),
                    errors, st.throughput(), percentiles(st.responseTimeMs()), st.sloMet() ? " met" : " BROKEN: "
                            + String.join("; ", st.sloBroken()));
        }
        Totals t = s.totals();
        out.printf(Locale.ROOT, "%-22s %,10d %,10d %,8d %10s %s%n", "all stages", t.sent(), t.readingsCounted(),
                t.errors().values().stream().mapToLong(Long::longValue).sum(), "", percentiles(t.responseTimeMs()));
        out.printf(Locale.ROOT, "readings counted by the accounts: %,d of %,d frames sent (%,d tampered on purpose)%n",
                t.readingsCounted(), t.sent(), t.tampered());
        out.println("errors by cause: " + (t.errors().isEmpty() ? "none" : t.errors()));
    }

    private static String percentiles(Map<String, Double> ms) {
        StringBuilder b = new StringBuilder();
        for (double p : Latencies.PERCENTILES) {
            Double v = ms.get(Latencies.name(p));
            b.append(v == null ? String.format(Locale.ROOT, "%9s ", "-") : String.format(Locale.ROOT, "%9.1f ", v));
        }
        return b.toString().stripTrailing();
    }

    static String html(Summary s) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("TITLE", escape(String.format(Locale.ROOT, "%,d meters, %s model", s.meters(), s.model())));
        values.put("SUBTITLE", escape(s.target() + " — started " + s.startedAt() + " — SLO " + s.slo()
                + (s.findMax() ? (s.kneeRate() == null ? " — no stage met it" : String.format(Locale.ROOT,
                " — highest rate that met it: %,.0f/s", s.kneeRate())) : s.sloMet() ? " met" : " broken")));
        values.put("SUMMARY", stageTable(s));
        values.put("ERRORS", errorTable(s));
        values.put("DATA", ReportKit.scriptJson(s));
        return ReportKit.fill(LoadTestReport.class, "report.html", values);
    }

    private static String stageTable(Summary s) {
        StringBuilder b = new StringBuilder("<table>\n<tr><th>stage</th><th>sent</th><th>ok</th><th>errors</th><th>ok/s</th>");
        Latencies.PERCENTILES.forEach(p -> b.append("<th>").append(Latencies.name(p)).append(" ms</th>"));
        b.append("<th>SLO</th></tr>\n");
        for (StageSummary st : s.stages()) {
            long errors = st.errors().values().stream().mapToLong(Long::longValue).sum();
            b.append("<tr><td>").append(escape(st.label())).append("</td>");
            cell(b, String.format(Locale.ROOT, "%,d", st.sent()));
            cell(b, String.format(Locale.ROOT, "%,d", st.readingsCounted()));
            cell(b, String.format(Locale.ROOT, "%,d", errors));
            cell(b, String.format(Locale.ROOT, "%,.0f", st.throughput()));
            for (double p : Latencies.PERCENTILES) {
                Double v = st.responseTimeMs().get(Latencies.name(p));
                cell(b, v == null ? "-" : String.format(Locale.ROOT, "%.1f", v));
            }
            b.append("<td class=\"").append(st.sloMet() ? "ok\">met" : "bad\">broken: "
                    + escape(String.join("; ", st.sloBroken()))).append("</td></tr>\n");
        }
        return b.append("</table>").toString();
    }

    private static String errorTable(Summary s) {
        if (s.totals().errors().isEmpty()) {
            return "<p class=\"note\">none</p>";
        }
        StringBuilder b = new StringBuilder("<table>\n<tr><th>cause</th><th>frames</th><th>share of sent</th></tr>\n");
        s.totals().errors().forEach((cause, n) -> {
            b.append("<tr><td>").append(escape(cause)).append("</td>");
            cell(b, String.format(Locale.ROOT, "%,d", n));
            cell(b, String.format(Locale.ROOT, "%.3f %%", 100.0 * n / Math.max(1, s.totals().sent())));
            b.append("</tr>\n");
        });
        return b.append("</table>").toString();
    }

    private static void cell(StringBuilder b, String value) {
        b.append("<td class=\"n\">").append(escape(value)).append("</td>");
    }
}
