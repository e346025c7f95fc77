package org.hasm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hasm.actors.cluster.NodeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report directory that was writable when {@code simulate} checked it and is not when the run is done: the
 * run is kept, the report is missing, and the command says so in one line with exit code 1, not 0 (issue 20, item 7).
 */
class ReportNotWrittenTest {

    @Test
    void aReportThatCannotBeWrittenAtTheEndIsExitOne(@TempDir Path dir) throws Exception {
        Path parent = dir.resolve("reports");
        Files.createDirectories(parent);
        Path report = parent.resolve("run");
        Process simulate = SimulateOutput.start("simulate",
                "--meters", "3", "--days", "4", "--data", dir.resolve("data").toString(), "--report", report.toString());
        SimulateOutput output = SimulateOutput.read(simulate, 5);
        output.reached().get(NodeProcess.STARTUP.toSeconds(), TimeUnit.SECONDS);
        try (BadInputTest.Unwritable locked = BadInputTest.Unwritable.make(parent)) {
            assertTrue(simulate.waitFor(120, TimeUnit.SECONDS), "still running after 120 s");
            output.ended().get(30, TimeUnit.SECONDS);
        } finally {
            simulate.destroyForcibly();
        }
        List<String> said = output.lines();
        assertEquals(HasmCommand.CHECK_FAILED, simulate.exitValue(), said.toString());
        List<String> errors = said.stream().filter(l -> l.startsWith("hasm: ")).toList();
        assertEquals(1, errors.size(), said.toString());
        assertTrue(errors.get(0).startsWith("hasm: could not write the report to " + report), errors.get(0));
        assertTrue(said.stream().noneMatch(l -> l.contains("Exception") || l.contains("internal error")), said.toString());
        assertFalse(Files.exists(report));
        assertTrue(Files.size(dir.resolve("data").resolve("hasm.mv.db")) > 0, "the run's logs are kept");
    }
}
