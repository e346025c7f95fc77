package org.hasm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hasm.actors.cluster.NodeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hasm simulate --processes 3}: the central system and the concentrator in child JVMs, the meters
 * here, give the same logs as one process (DESIGN 10), and nothing of the children outlives the run.
 */
class SimulateProcessesTest {
    private static final Pattern FINGERPRINT = Pattern.compile("fingerprint \\(chain heads\\) +([0-9a-f]{64})");
    private static final Pattern PIDS = Pattern.compile("central node at \\S+ \\(pid (\\d+)\\), concentrator node \\(pid (\\d+)\\)");
    /** Lines of the summary that count what the central system and the concentrator did. */
    private static final List<String> COUNTED = List.of("readings in the aggregates", "frames kept by the central system",
            "log anchors at the central system", "daily bills", "frames refused by the central system", "switch-offs",
            "top-ups", "pushed to the homes (HAN)", "tariff commands", "readings lost");

    private record Run(int exit, String out, String err) {
        String fingerprint() {
            Matcher m = FINGERPRINT.matcher(out);
            assertTrue(m.find(), out + err);
            return m.group(1);
        }

        Map<String, String> counted() {
            Map<String, String> lines = new TreeMap<>();
            out.lines().forEach(l -> COUNTED.stream().filter(l::startsWith).findFirst()
                    .ifPresent(key -> lines.put(key, l.substring(key.length()).trim())));
            return lines;
        }
    }

    private static Run hasm(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = HasmCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Run simulate(Path dir, String processes) {
        return hasm("simulate", "--meters", "16", "--days", "1", "--processes", processes,
                "--data", dir.resolve("data").toString(), "--report", dir.resolve("report").toString());
    }

    @Test
    void threeProcessesWriteTheLogsOfOne(@TempDir Path dir) {
        Run one = simulate(dir.resolve("one"), "1");
        assertEquals(0, one.exit(), one.out() + one.err());
        Run three = simulate(dir.resolve("three"), "3");
        assertEquals(0, three.exit(), three.out() + three.err());

        assertEquals(one.fingerprint(), three.fingerprint());
        assertEquals(COUNTED.size(), one.counted().size(), one.out());
        assertEquals(one.counted(), three.counted());
        // the central node's journals stayed in DATA/central-node (not compacted, opened read-only): replay finds them
        Path data = dir.resolve("three").resolve("data");
        Run verify = hasm("replay", "verify", "--data", data.toString());
        assertEquals(0, verify.exit(), verify.out() + verify.err());
        assertTrue(verify.out().contains("the central system's journals in H2 database in " + data.resolve("central-node")),
                verify.out());
        assertTrue(verify.out().contains("16 central accounts") && verify.out().contains("all intact"), verify.out());
        Run timeline = hasm("replay", "timeline", "--data", data.toString(), "--meter", "m00003", "--to", "day 1 01:00");
        assertEquals(0, timeline.exit(), timeline.out() + timeline.err());
        assertTrue(timeline.out().lines().anyMatch(l -> l.contains(" central ") && l.contains("ReadingReceived")), timeline.out());
        assertTrue(timeline.out().lines().anyMatch(l -> l.contains(" metrology-log ") && l.contains("reading")), timeline.out());

        Matcher pids = PIDS.matcher(three.out());
        assertTrue(pids.find(), three.out());
        for (int g = 1; g <= 2; g++) {
            long pid = Long.parseLong(pids.group(g));
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "child " + pid + " outlived the run");
        }
    }

    @Test
    void aCentralNodeStartedForFewerMetersIsOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        try (NodeProcess central = NodeProcess.start(dir, "central", Map.of(), "--role", "central", "--port", "0",
                "--meters", "4", "--data", dir.resolve("central").toString())) {
            Run r = hasm("simulate", "--join", central.hostPort(), "--meters", "8", "--data", dir.resolve("data").toString(),
                    "--report", dir.resolve("report").toString());
            assertEquals(HasmCommand.USAGE, r.exit(), r.out() + r.err());
            assertEquals(List.of("hasm: the central node has no account for meter m00007 (no answer within 15 s): start it"
                    + " with this run's --scenario, --meters and --seed-keys"), r.err().lines().toList());
        }
    }

    @Test
    void resumingWhereNoRunWasIsOneLineAndExitTwo(@TempDir Path dir) {
        Run r = hasm("simulate", "--join", "127.0.0.1:1", "--resume", "--meters", "8", "--data", dir.resolve("empty").toString());
        assertEquals(HasmCommand.USAGE, r.exit(), r.err());
        assertTrue(r.err().startsWith("hasm: nothing to resume in H2 database in "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void badProcessOptionsAreOneLineAndExitTwo() {
        for (String[] args : List.of(new String[] {"--processes", "2"}, new String[] {"--processes", "3", "--join", "h:2551"},
                new String[] {"--join", "nocolon"}, new String[] {"--resume"})) {
            List<String> command = new java.util.ArrayList<>(List.of("simulate", "--meters", "8"));
            command.addAll(List.of(args));
            Run r = hasm(command.toArray(String[]::new));
            assertEquals(HasmCommand.USAGE, r.exit(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
        }
    }
}
