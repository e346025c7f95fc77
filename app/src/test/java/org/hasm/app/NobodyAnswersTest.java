package org.hasm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code simulate --join} and {@code load-test --target} at an address nobody answers at, in child JVMs as the
 * user runs them, where Pekko's logging reaches the console: the one hasm line and nothing else, not Pekko's
 * warning about the handshake that timed out (issue 20, item 9).
 */
class NobodyAnswersTest {
    private static final String NOBODY = "127.0.0.1:1";

    private static Process hasm(Path dir, String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                // the logging the user's hasm runs with, not the tests' (several logback-test.xml on this class path)
                "-Dlogback.configurationFile=" + NobodyAnswersTest.class.getResource("/logback.xml"),
                "org.hasm.app.HasmCommand"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile()).start();
    }

    @Test
    void joiningNobodyIsOneLineWithoutPekkosWarnings(@TempDir Path dir) throws Exception {
        // both at once: each waits for the handshake to time out
        Process simulate = hasm(dir, "simulate", "simulate", "--join", NOBODY, "--meters", "3", "--days", "1",
                "--data", dir.resolve("data").toString(), "--report", dir.resolve("report").toString());
        Process loadTest = hasm(dir, "load-test", "load-test", "--target", NOBODY, "--meters", "2",
                "--report", dir.resolve("lt-report").toString());
        for (Process p : List.of(simulate, loadTest)) {
            assertTrue(p.waitFor(180, TimeUnit.SECONDS), "still running after 180 s");
        }
        check(dir, "simulate", simulate, "hasm: could not join the cluster at " + NOBODY + ": nobody answered");
        check(dir, "load-test", loadTest, "hasm: no central node answered at " + NOBODY);
    }

    private static void check(Path dir, String name, Process p, String line) throws IOException {
        String err = java.nio.file.Files.readString(dir.resolve(name + ".err"), StandardCharsets.UTF_8);
        String out = java.nio.file.Files.readString(dir.resolve(name + ".out"), StandardCharsets.UTF_8);
        assertEquals(HasmCommand.USAGE, p.exitValue(), out + err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith(line), err);
        assertTrue(!(out + err).contains("WARN") && !(out + err).contains("Exception"), out + err);
    }
}
