package org.hasm.actors.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hasm.app.LocalNode;

/**
 * {@code hasm node} in a child JVM on the test's classpath: started, waited for until its "up" line (a
 * bounded read of its stdout, no sleeping), watched for other lines of its output (its log is on stdout at
 * WARN), and killed with SIGKILL, checking that nothing of it remains.
 */
public final class NodeProcess implements AutoCloseable {
    /** Generous on a shared 2-core machine; the wait ends as soon as the line comes. */
    public static final Duration STARTUP = Duration.ofSeconds(120);

    private final Process process;
    private final Path stderr;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private volatile boolean ended;
    private final String hostPort;

    private NodeProcess(Process process, Path stderr) throws Exception {
        this.process = process;
        this.stderr = stderr;
        readStdout();
        Matcher up = awaitLine(LocalNode.UP, STARTUP);
        this.hostPort = up.group(1) + ":" + up.group(2);
    }

    /**
     * Starts {@code hasm node ARGS} with {@code environment} added and waits until it says it is up.
     *
     * @param dir where its stderr goes (shown when it never comes up)
     */
    public static NodeProcess start(Path dir, String name, Map<String, String> environment, String... args) throws Exception {
        List<String> command = LocalNode.command(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"), List.of(args));
        Path stderr = dir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            return new NodeProcess(process, stderr);
        } catch (Exception | AssertionError e) {
            process.destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** {@code host:port} of the node, as it printed it: what {@code --seed} takes. */
    public String hostPort() {
        return hostPort;
    }

    /** SIGKILL; returns once the process and anything it started are gone. */
    public void kill() throws InterruptedException {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the node " + process.pid() + " is still alive 60 s after SIGKILL");
        }
        for (ProcessHandle d : descendants) {
            if (d.isAlive()) {
                throw new AssertionError("the node left an orphan process " + d.pid());
            }
        }
    }

    /** Sends {@code signal} (INT, TERM, ...) with kill(1), as a terminal or a supervisor would. */
    public void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** Its exit status, once it has ended (at most {@code within}). */
    public int awaitExit(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the node " + process.pid() + " is still alive after " + within);
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /**
     * The first line of its stdout (from its start) that {@code pattern} finds something in, waiting at most
     * {@code within}; an AssertionError with its output when none comes or the process ends first.
     */
    public Matcher awaitLine(Pattern pattern, Duration within) throws Exception {
        CompletableFuture<Matcher> found = new CompletableFuture<>();
        watches.add(new Watch(pattern, found));
        // lines that came before the watch: the reader adds a line before it looks at the watches
        for (String line : stdout) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                found.complete(m);
                break;
            }
        }
        if (ended) {
            found.complete(null);
        }
        Matcher m;
        try {
            m = found.get(within.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            m = null;
        }
        if (m == null) {
            throw new AssertionError("the node never printed a line with '" + pattern + "'; stdout: " + stdout
                    + "; stderr: " + (Files.exists(stderr) ? Files.readString(stderr) : ""));
        }
        return m;
    }

    private record Watch(Pattern pattern, CompletableFuture<Matcher> found) {
    }

    private void readStdout() {
        // its own thread: it blocks on the pipe, and keeps draining it so the child never blocks
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    stdout.add(line);
                    for (Watch w : watches) {
                        Matcher m = w.pattern().matcher(line);
                        if (!w.found().isDone() && m.find()) {
                            w.found().complete(m);
                        }
                    }
                }
            } catch (IOException e) {
                // the stream ends with the process
            }
            ended = true;
            watches.forEach(w -> w.found().complete(null));
        }, "node-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }
}
