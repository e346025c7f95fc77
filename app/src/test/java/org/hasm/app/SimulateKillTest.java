package org.hasm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.hasm.actors.cluster.NodeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulation killed with SIGKILL cannot send its closing anchors: {@code hasm replay verify} then says how
 * far the logs go, lists the entries after each segment's last anchor as not provable, and still exits 0,
 * since nothing either side can prove is missing.
 */
class SimulateKillTest {

    @Test
    void aKilledRunVerifiesWithItsUnanchoredTailReported(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Process simulate = SimulateOutput.start("simulate",
                "--meters", "12", "--days", "30", "--data", data.toString(), "--report", dir.resolve("report").toString());
        SimulateOutput output = SimulateOutput.read(simulate, 5);
        output.reached().get(NodeProcess.STARTUP.toSeconds(), TimeUnit.SECONDS);
        assertTrue(simulate.toHandle().destroyForcibly());
        assertEquals(137, simulate.waitFor(), "exit status of a process killed by SIGKILL (128 + 9)");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = HasmCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), "replay", "verify",
                "--data", data.toString());
        assertEquals(0, exit, out + "\n" + err);
        String said = out.toString();
        assertTrue(said.contains("all intact"), said);
        assertTrue(said.contains("after their last anchor: not provable (the run did not stop cleanly"), said);
        assertTrue(said.lines().anyMatch(l -> l.matches("m\\d{5} +[a-z-]+ +[\\d,]+ +[\\d,]+ +\\S+ +\\S+ +not provable")), said);

        exit = HasmCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), "replay", "verify",
                "--data", data.toString(), "--format", "json", "--out", dir.resolve("verify.json").toString());
        assertEquals(0, exit, err.toString());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("verify.json").toFile());
        assertFalse(json.get("endedCleanly").asBoolean());
        assertTrue(json.get("notProvableEntries").asLong() > 0, json.toString());
        assertTrue(json.get("notProvable").size() > 0 && json.get("reach").size() > 0, json.toString());
    }
}
