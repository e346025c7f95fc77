package org.hasm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hasm.actors.cluster.NodeProcess;
import org.hasm.actors.central.LogKeyRegister;
import org.hasm.actors.forensics.StoreVerification;
import org.hasm.persistence.jdbc.JournalStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C or SIGTERM in the middle of {@code hasm simulate}: one line that names the signal and says what is kept, none of the
 * runtime's warnings of actors stopping in turn, no "internal error", the signal's exit status, and logs
 * whose every chain verifies.
 */
class SimulateSignalTest {

    @ParameterizedTest(name = "{1}")
    @CsvSource({"TERM, SIGTERM, 143", "INT, Ctrl-C (SIGINT), 130"})
    void aSignalMidRunIsOneLineThatNamesItAndTheLogsItLeftVerify(String signal, String named, int status, @TempDir Path dir)
            throws Exception {
        Path data = dir.resolve("data");
        // a month of 20 households: far longer than it takes to see the first intervals done
        Process simulate = SimulateOutput.start("simulate",
                "--meters", "20", "--days", "30", "--data", data.toString(), "--report", dir.resolve("report").toString());
        SimulateOutput output = SimulateOutput.read(simulate, 5);
        int done = output.reached().get(NodeProcess.STARTUP.toSeconds(), TimeUnit.SECONDS);

        // the JVM runs its shutdown hooks for either. SIGTERM through the handle: Process.destroy() would also close
        // this side of the pipe, and the child's last lines would be lost
        if (signal.equals("TERM")) {
            assertTrue(simulate.toHandle().destroy());
        } else {
            assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(simulate.pid())).start().waitFor());
        }
        boolean ended = simulate.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            simulate.destroyForcibly();
        }
        // a child of a process that ignores SIGINT (a background job) inherits that: then the JVM ignores it too
        Assumptions.assumeTrue(ended || !signal.equals("INT"), "SIGINT is ignored in this test's process");
        assertTrue(ended, "still running 120 s after SIG" + signal);
        output.ended().get(30, TimeUnit.SECONDS);

        assertEquals(status, simulate.exitValue(), "exit status of a process ended by SIG" + signal + " (128 + its number): "
                + output.lines());
        List<String> said = output.lines();
        List<String> stopLines = said.stream().filter(l -> l.startsWith("hasm: stopped by " + named + ": ")).toList();
        assertEquals(1, stopLines.size(), said.toString());
        assertTrue(stopLines.get(0).contains("of 2880 intervals") && stopLines.get(0).contains(data.toString()), stopLines.get(0));
        int stop = said.indexOf(stopLines.get(0));
        assertEquals(List.of(), said.subList(stop + 1, said.size()), "nothing after the line, after " + done + " intervals");
        assertTrue(said.stream().noneMatch(l -> l.contains("internal error") || l.contains("Exception")), said.toString());

        StoreVerification.Result left = StoreVerification.verify(JournalStore.h2(data),
                LogKeyRegister.read(data.resolve(LogKeyRegister.FILE_NAME)));
        assertTrue(left.segments().size() >= 20, left.segments().size() + " segments");
        assertEquals(List.of(), left.failingSegments().stream().filter(f -> !f.reason().equals("MISSING_ANCHOR")).toList());
    }
}
