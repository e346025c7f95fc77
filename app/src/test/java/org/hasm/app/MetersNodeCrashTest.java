package org.hasm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.fleet.SeededFleet;
import org.hasm.actors.cluster.NodeProcess;
import org.hasm.actors.forensics.ForensicReader;
import org.hasm.actors.central.LogKeyRegister;
import org.hasm.actors.forensics.StoreVerification;
import org.hasm.actors.sim.scenario.SimulationSettings;
import org.hasm.persistence.Segment;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.policy.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's fault test of the meters process: a simulation split over a central node, a concentrator node
 * and a meters node loses its meters node to SIGKILL in the middle of the day. On the logs it left every
 * chain verifies; a new meters node resumes the run on them ({@code simulate --join --resume}) and finishes
 * the day with no frame refused (the meters' counters went on from their journals); and every reading the
 * central system persisted, before the crash or after, is in its meter's MetrologyLog, none of them twice.
 */
class MetersNodeCrashTest {
    private static final int METERS = 16;
    private static final int INTERVALS = 96;
    /** The meters node is killed once it has finished this many intervals. */
    private static final int KILL_AFTER = 30;
    private static final long INTERVAL_MS = 15 * 60_000L;
    private static final Pattern RESUMED = Pattern.compile("note: resumed at interval (\\d+) ");

    /**
     * The default neighbourhood at 4,500 simulated seconds per second (0.2 s an interval), so that the kill
     * lands in the middle of the day and not after it: its tariff change at noon comes after the crash.
     */
    private static final String SCENARIO = """
            name = meters-node-crash
            description = "16 households for a day, slowed down so that the meters node dies mid-day"
            meters = %d
            days = 1
            seed = 42
            speed = 4500
            shares { prepaid = 0.2, pv = 0.15, gas = 0.4, load-balancing = 0.1 }
            timeline = [
              { at = "day 1 12:00", action = tariff-change, off-peak = 15000, peak = 35000, peak-from = 18, peak-to = 22 }
            ]
            """.formatted(METERS);

    @Test
    void aMetersNodeKilledMidRunLeavesIntactLogsAndItsRunResumesOnThem(@TempDir Path dir) throws Exception {
        Path scenario = java.nio.file.Files.writeString(dir.resolve("crash.conf"), SCENARIO);
        Path centralData = dir.resolve("central");
        Path metersData = dir.resolve("meters");
        int resumedAt;
        try (NodeProcess central = NodeProcess.start(dir, "central", Map.of(), "--role", "central", "--port", "0",
                "--scenario", scenario.toString(), "--data", centralData.toString());
             NodeProcess concentrator = NodeProcess.start(dir, "concentrator", Map.of(), "--role", "concentrator",
                     "--port", "0", "--seed", central.hostPort())) {
            List<String> simulate = List.of("simulate", "--join", central.hostPort(), "--scenario", scenario.toString(),
                    "--data", metersData.toString());

            // 1. the meters node in its own JVM, killed with SIGKILL in the middle of the day
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-cp", System.getProperty("java.class.path"), "org.hasm.app.HasmCommand"));
            command.addAll(simulate);
            command.addAll(List.of("--report", dir.resolve("report-1").toString()));
            Process meters = new ProcessBuilder(command).redirectErrorStream(true).start();
            SimulateOutput output = SimulateOutput.read(meters, KILL_AFTER);
            int done = output.reached().get(NodeProcess.STARTUP.toSeconds() * 2, TimeUnit.SECONDS);
            assertTrue(done >= KILL_AFTER && done < INTERVALS, "killed after " + done + " intervals: " + output.lines());
            assertTrue(meters.toHandle().destroyForcibly());
            assertEquals(137, meters.waitFor(), "exit status of a process killed by SIGKILL (128 + 9)");

            // 2. what it left: every segment chain of every meter intact (the central node holds the anchors and its
            // H2 file while it runs; they are checked against the chains at the end)
            StoreVerification.Result left = StoreVerification.verify(JournalStore.h2(metersData),
                    LogKeyRegister.read(metersData.resolve(LogKeyRegister.FILE_NAME)));
            assertTrue(left.segments().size() >= METERS, left.segments().size() + " segments");
            assertEquals(List.of(), left.failingSegments().stream().filter(f -> !f.reason().equals("MISSING_ANCHOR")).toList());

            // 3. a new meters node (this JVM) goes on with the run on those logs
            List<String> resume = new ArrayList<>(simulate);
            resume.addAll(List.of("--resume", "--report", dir.resolve("report-2").toString()));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = HasmCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), resume.toArray(String[]::new));
            assertEquals(0, exit, out + "\n" + err);
            Matcher at = RESUMED.matcher(out.toString());
            assertTrue(at.find(), out.toString());
            resumedAt = Integer.parseInt(at.group(1));
            assertTrue(resumedAt >= KILL_AFTER, "resumed at " + resumedAt + " after " + done + " intervals done");
            assertTrue(out.toString().lines().anyMatch(l -> l.matches("frames refused by the central system +none")), out.toString());
        } // both nodes killed: the central node's journal is read below as a crash left it

        // 4. every chain verifies against the anchors the central system keeps
        StoreVerification.Result after = StoreVerification.verify(JournalStore.h2(metersData), JournalStore.h2(centralData),
                LogKeyRegister.read(metersData.resolve(LogKeyRegister.FILE_NAME)),
                Set.of(), org.hasm.actors.meter.MeterConfig.DEFAULT.anchorEveryEntries(), StoreVerification.Progress.NONE);
        assertTrue(after.intact(), after.failingSegments() + " " + after.failingAccounts());
        assertTrue(after.anchors() > 0, "no anchor checked");

        // 5. every reading the central system persisted is in its meter's log, and the day is complete there
        ForensicReader centralLogs = ForensicReader.open(JournalStore.h2(centralData));
        ForensicReader meterLogs = ForensicReader.open(JournalStore.h2(metersData));
        try {
            for (int i = 0; i < METERS; i++) {
                String id = SeededFleet.meterId(i);
                Set<Long> atCentral = new TreeSet<>();
                List<Long> twice = new ArrayList<>();
                for (MeterAccount.Event e : centralLogs.meter(id).account()) {
                    if (e instanceof MeterAccount.ReadingReceived r && r.commodity().equals("electricity")
                            && !atCentral.add(r.intervalEnd())) {
                        twice.add(r.intervalEnd());
                    }
                }
                assertEquals(List.of(), twice, id + ": intervals the central system took a reading of twice (measured again on resuming)");
                Set<Long> logged = new TreeSet<>();
                for (Segment.Entry e : meterLogs.meter(id).entries(Part.MetrologyLog)) {
                    if (e.kind().equals("reading")) {
                        logged.add(e.time());
                    }
                }
                assertTrue(logged.containsAll(atCentral), id + ": readings the central system holds but the meter's log lacks: "
                        + atCentral.stream().filter(t -> !logged.contains(t)).toList());
                for (int k = resumedAt; k < INTERVALS; k++) {
                    long end = SimulationSettings.START + (k + 1) * INTERVAL_MS;
                    assertTrue(atCentral.contains(end), id + ": the resumed run's reading of interval " + k + " is not at the central system");
                }
            }
        } finally {
            centralLogs.close();
            meterLogs.close();
        }
    }
}
