package org.hasm.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.hasm.actors.cluster.NodeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hasm.app.HasmCommand;

/**
 * Two JVMs: a child runs {@code hasm node --role central}; {@code hasm load-test --target HOST:PORT} in the
 * test's process joins its cluster, delivers real sealed frames of meters whose keys it derived from the same
 * seed, and is acknowledged for each. A second load test against the same node goes on after the counters the
 * accounts already took, so none of its frames is a replay.
 */
class LoadTestRemoteTest {
    private static final int METERS = 10;
    private static final long SEED_KEYS = 7;

    private static JsonNode loadTest(NodeProcess central, Path report, String rate) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = HasmCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), "load-test",
                "--target", central.hostPort(), "--seed-keys", String.valueOf(SEED_KEYS),
                "--meters", String.valueOf(METERS), "--rate", rate, "--duration", "2s", "--warm-up", "0",
                "--slo", "p99<30s", "--connect-timeout", "60", "--report", report.toString());
        assertEquals(0, exit, "out: " + out + "\nerr: " + err);
        assertTrue(out.toString().contains("central node at " + central.hostPort()), out.toString());
        return LoadTestReport.mapper().readTree(report.resolve(LoadTestReport.JSON).toFile()).get("totals");
    }

    @Test
    void aLoadTestInThisProcessIsAcknowledgedFrameByFrameByACentralNodeInAnother(@TempDir Path dir) throws Exception {
        try (NodeProcess central = NodeProcess.start(dir, "central", java.util.Map.of(), "--role", "central", "--port", "0", "--data",
                dir.resolve("data").toString(), "--meters", String.valueOf(METERS), "--seed-keys", String.valueOf(SEED_KEYS))) {
            JsonNode first = loadTest(central, dir.resolve("first"), "20");
            assertEquals(40, first.get("sent").asLong(), first.toString());
            assertEquals(first.get("sent").asLong(), first.get("acknowledged").asLong(), "every frame acknowledged");
            assertEquals(first.get("sent").asLong(), first.get("readingsCounted").asLong(), "every reading kept");
            assertTrue(first.get("errors").isEmpty(), first.toString());

            // the node kept its accounts: the meters resume after their counters, nothing is refused as a replay
            JsonNode second = loadTest(central, dir.resolve("second"), "10");
            assertEquals(20, second.get("sent").asLong(), second.toString());
            assertEquals(second.get("sent").asLong(), second.get("acknowledged").asLong());
            assertEquals(second.get("sent").asLong(), second.get("readingsCounted").asLong(), "counted from where it stood");
            assertTrue(second.get("errors").isEmpty(), second.toString());
        }
    }
}
