package org.hasm.actors.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
    private static final Pattern EXTERNAL = Pattern.compile(
            "(?i)(src|href|action)\\s*=\\s*[\"']?\\s*(https?:)?//|url\\(\\s*[\"']?\\s*(https?:)?//|@import|<link\\b|<script[^>]+src");

    private final SimulationReport sample = SampleReport.oneDay();

    @Test
    void writesTheThreeFiles(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("report");
        ReportWriter.write(out, sample);
        for (String f : List.of(ReportWriter.HTML, ReportWriter.JSON, ReportWriter.CSV)) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
    }

    @Test
    void summaryJsonParsesBackToTheSameTotals(@TempDir Path dir) throws Exception {
        ReportWriter.write(dir, sample);
        JsonNode json = ReportKit.mapper().readTree(dir.resolve(ReportWriter.JSON).toFile());
        assertEquals(sample.totals(), ReportKit.mapper().treeToValue(json.get("totals"), SimulationReport.Totals.class));
        assertEquals("sample", json.get("scenario").asText());
        assertEquals(96, json.get("intervals").asInt());
        assertEquals(sample.alerts().size(), json.get("alerts").size());
        assertTrue(Files.readString(dir.resolve(ReportWriter.JSON)).contains("\n  \"scenario\""), "pretty printed");
    }

    @Test
    void csvHasAHeaderAndOneRowPerInterval(@TempDir Path dir) throws Exception {
        ReportWriter.write(dir, sample);
        List<String> lines = Files.readAllLines(dir.resolve(ReportWriter.CSV));
        assertEquals(1 + sample.intervals().size(), lines.size());
        List<String> header = List.of(lines.get(0).split(","));
        assertEquals("interval", header.get(0));
        header.forEach(column -> assertTrue(column.matches("[a-z][a-z0-9_]*"), () -> column + " is not snake_case"));
        assertTrue(header.containsAll(List.of("drops_p2", "drops_p5", "entries_metrology_log", "entries_off_switch_log")), lines.get(0));
        for (int k = 0; k < sample.intervals().size(); k++) {
            String[] row = lines.get(k + 1).split(",");
            SimulationReport.Interval i = sample.intervals().get(k);
            assertEquals(header.size(), row.length, lines.get(k + 1));
            assertEquals(String.valueOf(k), row[0]);
            assertEquals(String.valueOf(i.aggregateWh()), row[header.indexOf("aggregate_wh")]);
            assertEquals(String.valueOf(i.feederWh()), row[header.indexOf("feeder_wh")]);
            assertEquals(String.valueOf(i.drops().getOrDefault("P5", 0L)), row[header.indexOf("drops_p5")]);
        }
    }

    @Test
    void columnNamesOfRulesAndSegmentsAreSnakeCase() {
        assertEquals("drops_p16", ReportWriter.column("drops", "P16"));
        assertEquals("entries_metrology_log", ReportWriter.column("entries", "metrology-log"));
        assertEquals("entries_off_switch_log", ReportWriter.column("entries", "OffSwitchLog"));
        assertEquals("entries_cs_security_log", ReportWriter.column("entries", "cs security log"));
    }

    @Test
    void htmlIsSelfContained(@TempDir Path dir) throws Exception {
        ReportWriter.write(dir, sample);
        String html = Files.readString(dir.resolve(ReportWriter.HTML));
        assertFalse(EXTERNAL.matcher(html).find(), () -> "external reference: " + context(html, EXTERNAL));
        assertTrue(html.contains("function uPlot") || html.contains("uPlot="), "uPlot is inlined");
        assertFalse(Pattern.compile("@[A-Z_]+@").matcher(html).find(), "every placeholder is filled");
        for (String chart : List.of("\"load\"", "\"switch\"", "\"credit\"", "\"drops\"", "\"logs\"", "\"alerts\"")) {
            assertTrue(html.contains("id=" + chart), chart);
        }
        assertTrue(html.contains(sample.totals().fingerprint()));
    }

    @Test
    void theSelfContainedCheckCatchesAnExternalScript() {
        assertTrue(EXTERNAL.matcher("<script src=\"https://cdn.example/u.js\"></script>").find());
        assertTrue(EXTERNAL.matcher("<link rel=stylesheet href=//cdn.example/u.css>").find());
        assertTrue(EXTERNAL.matcher("body { background: url('http://x/y.png') }").find());
    }

    @Test
    void namesFromTheRunAreEscaped() {
        SimulationReport hostile = new SimulationReport("<script>alert(1)</script>", "</script><b>", 1, 1, 1, 0, 900_000,
                List.of(new SimulationReport.Interval(0, 0, 1, 1, 1, 0, 0, 0, 0, Map.of("</script>", 1L), Map.of())),
                List.of(new SimulationReport.Alert(0, "<i>", "</script>")),
                new SimulationReport.Totals(1, 0, 0, 1, Map.of(), Map.of(), 1, 1, "<fp>"));
        String html = ReportWriter.html(hostile);
        // the template's two script elements are the only ones
        assertEquals(2, Pattern.compile("</script>").matcher(html).results().count());
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    private static String context(String s, Pattern p) {
        var m = p.matcher(s);
        return m.find() ? s.substring(Math.max(0, m.start() - 60), Math.min(s.length(), m.end() + 60)) : "";
    }
}
