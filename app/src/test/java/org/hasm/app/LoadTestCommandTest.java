package org.hasm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hasm.loadtest.LoadTestReport;

/** {@code hasm load-test} as the user runs it: exit codes, one line per mistake, the report. */
class LoadTestCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run hasm(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = HasmCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void helpAndTheOtherCommandsStillWork() {
        Run help = hasm("load-test", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--find-max") && help.out().contains("--slo"), help.out());
        Run top = hasm("--help");
        assertEquals(0, top.exit());
        assertTrue(top.out().contains("load-test") && top.out().contains("simulate") && top.out().contains("replay"), top.out());
        assertEquals(0, hasm("policy", "verify").exit());
    }

    @Test
    void eachBadInputIsOneLineAndExitCodeTwo() {
        List<List<String>> bad = List.of(
                List.of("--slo", "p99 under 100ms"),
                List.of("--rate", "0"),
                List.of("--rate", "100", "--ramp", "1:2:1"),
                List.of("--ramp", "10:5:1"),
                List.of("--duration", "0s"),
                List.of("--warm-up", "soon"),
                List.of("--target", "nowhere"),
                List.of("--target", "central.example:25520"),
                List.of("--meters", "0"),
                List.of("--model", "sideways"),
                List.of("--model", "closed", "--rate", "100"),
                List.of("--meters", "many"));
        for (List<String> options : bad) {
            String[] args = new String[options.size() + 3];
            args[0] = "load-test";
            args[1] = "--data";
            args[2] = dir.resolve("never").toString();
            for (int i = 0; i < options.size(); i++) {
                args[i + 3] = options.get(i);
            }
            Run r = hasm(args);
            assertEquals(HasmCommand.USAGE, r.exit(), options + ": " + r.err());
            String first = r.err().lines().findFirst().orElse("");
            assertTrue(first.startsWith("hasm: "), options + ": " + r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
            assertFalse(Files.exists(dir.resolve("never")), "nothing started for " + options);
        }
    }

    @Test
    void aTargetNobodyAnswersAtIsOneLineAndExitCodeTwoWithinTheTimeout() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort(); // free once closed: nobody listens there
        }
        Run r = hasm("load-test", "--target", "127.0.0.1:" + port, "--connect-timeout", "2", "--meters", "5",
                "--report", dir.resolve("unreached").toString());
        assertEquals(HasmCommand.USAGE, r.exit(), r.err());
        assertTrue(r.err().startsWith("hasm: no central node answered at 127.0.0.1:" + port + " within 2 s"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(Files.exists(dir.resolve("unreached")), "no report for a run that never started");
    }

    @Test
    void anImpossibleSloIsBrokenExitOneAndTheReportSaysSo() throws Exception {
        Path report = dir.resolve("report");
        Run r = hasm("load-test", "--meters", "5", "--rate", "10", "--duration", "1s", "--warm-up", "0", "--slo", "p99<1us",
                "--data", dir.resolve("data").toString(), "--report", report.toString());

        assertEquals(HasmCommand.CHECK_FAILED, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("BROKEN"), r.out());
        JsonNode json = LoadTestReport.mapper().readTree(report.resolve(LoadTestReport.JSON).toFile());
        assertFalse(json.get("sloMet").asBoolean());
        assertEquals(10, json.get("totals").get("acknowledged").asLong());
        assertTrue(Files.size(report.resolve(LoadTestReport.HTML)) > 10_000, "uPlot inlined");
    }

    @Test
    void offATerminalTheStagesBarEndsOnceAndOnTheStagesFigures() {
        PrintStream console = System.err;
        ByteArrayOutputStream bars = new ByteArrayOutputStream();
        Run r;
        System.setErr(new PrintStream(bars, true, StandardCharsets.UTF_8)); // where the bars go
        try {
            r = hasm("load-test", "--meters", "5", "--rate", "10", "--duration", "2s", "--warm-up", "0", "--slo", "p99<10s",
                    "--data", dir.resolve("bars").toString(), "--report", dir.resolve("bars-report").toString());
        } finally {
            System.setErr(console);
        }
        assertEquals(0, r.exit(), r.out() + r.err());
        List<String> stage = bars.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("stage ")).toList();
        assertFalse(stage.isEmpty(), bars.toString(StandardCharsets.UTF_8));
        assertTrue(stage.stream().allMatch(l -> l.startsWith("stage 10/s ") && !l.contains("(s)")), String.join("\n", stage));
        List<String> done = stage.stream().filter(l -> l.contains("100%")).toList();
        assertEquals(1, done.size(), String.join("\n", stage));
        Matcher line = Pattern.compile("stage 10/s\\s+20 sent,\\s+([\\d,]+) ok/s, p99 (\\S+ ms)").matcher(r.out());
        assertTrue(line.find(), r.out());
        assertTrue(done.get(0).endsWith("20 acknowledged; the stage: " + line.group(1) + " ok/s, p99 " + line.group(2)),
                done.get(0) + " against the stage's line: " + line.group());
    }
}
