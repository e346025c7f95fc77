package org.hasm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.policy.FlowPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HasmCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int hasm(String... args) {
        return HasmCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static String shippedPolicy() throws Exception {
        try (var in = FlowPolicy.class.getResourceAsStream(FlowPolicy.SHIPPED_RESOURCE)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void policyVerifyPrintsTenHoldingRules() {
        assertEquals(0, hasm("policy", "verify"));
        assertEquals(10, out.toString().lines().filter(l -> l.matches("P\\d+ +HOLDS .*")).count(), out.toString());
        assertEquals("", err.toString());
    }

    @Test
    void aBrokenRuleExitsOneAndShowsThePathWithItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.policy");
        Files.writeString(file, shippedPolicy() + "HanGateway -> Communications : ConsumptionFeedback\n");
        int line = (int) Files.readString(file).lines().count();

        assertEquals(HasmCommand.CHECK_FAILED, hasm("policy", "verify", "--policy", file.toString()));
        assertTrue(out.toString().contains("P7   FAILS"), out.toString());
        assertTrue(out.toString().contains("path: HanGateway -> Communications : ConsumptionFeedback (line " + line + ")"),
                out.toString());
        assertEquals(9, out.toString().lines().filter(l -> l.matches("P\\d+ +HOLDS .*")).count());
    }

    @Test
    void aBadPolicyFileIsOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("typo.policy");
        Files.writeString(file, "Clock -> Metrology : Tick\nClock -> Dsiplay : Tick\n");
        assertEquals(HasmCommand.USAGE, hasm("policy", "verify", "--policy", file.toString()));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("hasm: " + file + ":2: unknown part 'Dsiplay'"), err.toString());
    }

    @Test
    void unknownOptionsAndFormatsAreUsageErrors() {
        assertEquals(HasmCommand.USAGE, hasm("policy", "verify", "--bogus"));
        assertEquals(HasmCommand.USAGE, hasm("policy", "diagram", "--format", "svg"));
        assertTrue(err.toString().contains("expected one of [mermaid, dot]"), err.toString());
    }

    @Test
    void diagramWritesTheFileItIsAskedFor(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("meter.dot");
        assertEquals(0, hasm("policy", "diagram", "--format", "dot", "--out", file.toString()));
        String dot = Files.readString(file);
        assertTrue(dot.startsWith("// hasm meter information-flow policy"), dot);
        assertTrue(dot.contains("OffSwitchSecurity -> OffSwitch [label=\"Actuate\"];"));
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] cmd : new String[][] {{"--help"}, {"policy", "--help"}, {"policy", "verify", "--help"},
                {"policy", "diagram", "--help"}, {"simulate", "--help"}}) {
            out.getBuffer().setLength(0);
            assertEquals(0, hasm(cmd), String.join(" ", cmd));
            assertTrue(out.toString().startsWith("Usage: hasm"), out.toString());
        }
    }

    @Test
    void simulateRunsANeighbourhoodOnTheEmbeddedDatabase(@TempDir Path dir) throws Exception {
        assertEquals(0, hasm("simulate", "--meters", "3", "--days", "1", "--data", dir.resolve("data").toString(),
                "--report", dir.resolve("report").toString()), err.toString());
        for (String file : List.of("report.html", "summary.json", "readings.csv")) {
            assertTrue(Files.size(dir.resolve("report").resolve(file)) > 0, file);
        }
        assertEquals(1 + 96, Files.readAllLines(dir.resolve("report").resolve("readings.csv")).size(), "a header and a row per interval");
        assertTrue(out.toString().matches("(?s).*fingerprint \\(chain heads\\)\\s+[0-9a-f]{64}\\n.*"), out.toString());
        assertTrue(out.toString().matches("(?s).*readings in the aggregates\\s+288\\n.*"), out.toString());
        assertTrue(Files.exists(dir.resolve("data").resolve("hasm.mv.db")));
        Matcher anchors = Pattern.compile("log anchors at the central system\\s+([0-9,]+)\\n").matcher(out.toString());
        assertTrue(anchors.find(), out.toString());
        long reported = Long.parseLong(anchors.group(1).replace(",", ""));
        assertTrue(reported > 0, "the meters anchored their logs: " + out);
        // the central system's accounts are durable: their own table in the same database
        JournalStore store = JournalStore.h2(dir.resolve("data"));
        JournalStore.Journal journal = JournalStore.Journal.central(JournalStore.CENTRAL_ACCOUNTS);
        try (Connection c = store.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT \"persistence_id\") FROM "
                        + store.qualified(journal, journal.journalTable()))) {
            r.next();
            assertTrue(r.getLong(1) >= reported, "every anchor the accounts hold is in " + journal.journalTable()
                    + ": " + r.getLong(1) + " rows, " + reported + " reported");
            assertEquals(3, r.getLong(2), "one account per meter");
        }
    }

    @Test
    void simulateRunsTheScenariosTimelineAndSaysWhatCameOfIt(@TempDir Path dir) {
        assertEquals(0, hasm("simulate", "--scenario", "tampering-concentrator", "--meters", "8", "--data",
                dir.resolve("data").toString(), "--report", dir.resolve("report").toString()), err.toString());
        assertTrue(out.toString().matches("(?s).*tampered frames detected\\s+40\\n.*"), out.toString());
        assertTrue(out.toString().matches("(?s).*readings lost\\s+0\\n.*"), out.toString());
        assertTrue(!out.toString().contains("not simulated"), out.toString());
    }

    @Test
    void impossibleSimulationsAndMissingCredentialsAreOneLine(@TempDir Path dir) {
        assertEquals(HasmCommand.USAGE, hasm("simulate", "--meters", "0", "--data", dir.toString()));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().contains("--meters"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(HasmCommand.USAGE, hasm("simulate", "--scenario", "no-such-scenario", "--data", dir.toString()));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().contains("theft"), "names the known scenarios: " + err);
        err.getBuffer().setLength(0);
        assertEquals(HasmCommand.USAGE, hasm("simulate", "--days", "-2", "--data", dir.toString()));
        assertEquals(1, err.toString().lines().count(), err.toString());
        err.getBuffer().setLength(0);
        Path file = dir.resolve("a-file");
        assertEquals(0, hasm("policy", "diagram", "--out", file.toString()));
        assertEquals(HasmCommand.USAGE, hasm("simulate", "--data", file.toString()));
        assertTrue(err.toString().contains("is a file, not a directory"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(HasmCommand.USAGE, hasm("simulate", "--report", file.toString(), "--data", dir.resolve("d").toString()));
        assertEquals("hasm: --report " + file + " is a file, not a directory\n", err.toString());
    }
}
