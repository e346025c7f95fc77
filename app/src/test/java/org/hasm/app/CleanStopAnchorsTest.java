package org.hasm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hasm.actors.cluster.NodeProcess;
import org.hasm.actors.sim.AnchoredHeads;
import org.hasm.persistence.jdbc.JournalStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run stopped cleanly leaves no unanchored tail (issue 20, item 1): after Ctrl-C, after SIGTERM (also of the
 * meters node of {@code --processes 3}) and at the end of a normal {@code simulate}, every meter's every segment has its newest entry anchored at the central
 * system, and {@code hasm replay verify} finds nothing.
 */
class CleanStopAnchorsTest {

    @Test
    void aSigtermdRunLeavesEverySegmentsNewestEntryAnchored(@TempDir Path dir) throws Exception {
        stoppedMidRun(dir, false);
    }

    @Test
    void aCtrlCdRunLeavesEverySegmentsNewestEntryAnchored(@TempDir Path dir) throws Exception {
        stoppedMidRun(dir, true);
    }

    @Test
    void aNormalSimulateEndsWithEverySegmentsNewestEntryAnchored(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = HasmCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), "simulate", "--meters", "12",
                "--data", data.toString(), "--report", dir.resolve("report").toString());
        assertEquals(0, exit, err.toString());
        assertAnchoredAndVerified(data);
    }

    @Test
    void aSigtermdMetersNodeOfThreeProcessesLeavesEverySegmentsNewestEntryAnchoredAtTheCentralNode(@TempDir Path dir)
            throws Exception {
        Path data = stoppedMidRun(dir, false, "--processes", "3");
        JournalStore central = JournalStore.h2(data.resolve(StorageOptions.CENTRAL_NODE));
        assertEquals(Map.of(), AnchoredHeads.unanchored(JournalStore.h2(data), central),
                "segments whose newest entry no anchor at the central node covers");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, HasmCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), "replay", "verify",
                "--data", data.toString()), out + "\n" + err);
    }

    /** A month of 20 households, stopped by a signal once some intervals are done; returns the data directory. */
    private static Path stoppedMidRun(Path dir, boolean interrupt, String... options) throws Exception {
        Path data = dir.resolve("data");
        List<String> args = new java.util.ArrayList<>(List.of("simulate",
                "--meters", "20", "--days", "30", "--data", data.toString(), "--report", dir.resolve("report").toString()));
        args.addAll(List.of(options));
        Process simulate = SimulateOutput.start(args.toArray(String[]::new));
        SimulateOutput output = SimulateOutput.read(simulate, 5);
        output.reached().get(NodeProcess.STARTUP.toSeconds(), TimeUnit.SECONDS);
        if (interrupt) {
            // what the terminal sends on Ctrl-C
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(simulate.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
        } else {
            assertTrue(simulate.toHandle().destroy()); // SIGTERM
        }
        assertTrue(simulate.waitFor(120, TimeUnit.SECONDS), "still running 120 s after the signal");
        output.ended().get(30, TimeUnit.SECONDS);
        assertEquals(interrupt ? 130 : 143, simulate.exitValue(), output.lines().toString());
        assertTrue(output.lines().stream().noneMatch(l -> l.contains("Exception") || l.contains("internal error")),
                output.lines().toString());
        if (options.length == 0) {
            assertAnchoredAndVerified(data);
        }
        // the child nodes waited for the meters' last anchors, and still stopped with the run
        for (String line : output.lines()) {
            java.util.regex.Matcher pids = java.util.regex.Pattern.compile("\\(pid (\\d+)\\)").matcher(line);
            while (line.startsWith("central node at ") && pids.find()) {
                long pid = Long.parseLong(pids.group(1));
                assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "child " + pid + " outlived the run");
            }
        }
        return data;
    }

    private static void assertAnchoredAndVerified(Path data) throws Exception {
        JournalStore store = JournalStore.h2(data);
        Map<String, Long> heads = AnchoredHeads.heads(store);
        assertTrue(heads.size() >= 12 * 4, "the meters' segments: " + heads.keySet());
        assertEquals(Map.of(), AnchoredHeads.unanchored(store), "segments whose newest entry no anchor covers");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = HasmCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), "replay", "verify",
                "--data", data.toString());
        assertEquals(0, exit, out + "\n" + err);
    }
}
