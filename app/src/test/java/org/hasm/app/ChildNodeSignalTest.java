package org.hasm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.hasm.actors.cluster.NodeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that {@code simulate --processes 3} starts shares the terminal's process group, so a Ctrl-C reaches
 * it too; it must stay until its parent stops it with SIGTERM, after the meters' closing anchors reached it.
 */
class ChildNodeSignalTest {

    @Test
    void aChildNodeIgnoresTheTerminalsCtrlCAndLeavesOnSigterm(@TempDir Path dir) throws Exception {
        try (NodeProcess node = NodeProcess.start(dir, "central", Map.of(), "--role", "central", "--port", "0",
                "--scenario", "neighbourhood", "--meters", "2", "--data", dir.resolve("central").toString())) {
            // signals pending together are delivered in number order: SIGINT (2) before SIGTERM (15), so a node
            // that took the SIGINT would already be on its way out with 130
            node.signal("INT");
            node.signal("TERM");
            assertEquals(143, node.awaitExit(Duration.ofSeconds(120)), "exit status of a node ended by SIGTERM (128 + 15)");
        }
    }
}
