package org.hasm.loadtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code hasm node --role central ARGS} in a child JVM on the test's classpath, as the actors module's
 * {@code NodeProcess} runs it (its tests are no test-jar, so this is the part the load test needs): started,
 * waited for until its "up" line with a bounded read of its stdout, and killed with SIGKILL.
 */
final class CentralNodeProcess implements AutoCloseable {
    /** Generous on a shared 2-core machine; the wait ends as soon as the line comes. */
    static final Duration STARTUP = Duration.ofSeconds(120);
    private static final Pattern UP = Pattern.compile("central node up at ([^:]+):(\\d+), role central");

    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final String host;
    private final int port;

    private CentralNodeProcess(Process process, Path stderr) throws Exception {
        this.process = process;
        CompletableFuture<Matcher> found = new CompletableFuture<>();
        // its own thread: it blocks on the pipe, and keeps draining it so the child never blocks
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    stdout.add(line);
                    Matcher m = UP.matcher(line);
                    if (!found.isDone() && m.find()) {
                        found.complete(m);
                    }
                }
            } catch (IOException e) {
                // the stream ends with the process
            }
            found.complete(null);
        }, "central-node-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        Matcher up;
        try {
            up = found.get(STARTUP.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            up = null;
        }
        if (up == null) {
            throw new AssertionError("the central node never said it was up; stdout: " + stdout + "; stderr: "
                    + (Files.exists(stderr) ? Files.readString(stderr) : ""));
        }
        this.host = up.group(1);
        this.port = Integer.parseInt(up.group(2));
    }

    static CentralNodeProcess start(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "org.hasm.actors.cli.HasmCommand", "node", "--role", "central"));
        command.addAll(List.of(args));
        Path stderr = dir.resolve("central.err");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        try {
            return new CentralNodeProcess(process, stderr);
        } catch (Exception | AssertionError e) {
            process.destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
            throw e;
        }
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    /** SIGKILL; returns once the process and anything it started are gone. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the central node " + process.pid() + " is still alive 60 s after SIGKILL");
        }
        for (ProcessHandle d : descendants) {
            if (d.isAlive()) {
                throw new AssertionError("the central node left an orphan process " + d.pid());
            }
        }
    }
}
