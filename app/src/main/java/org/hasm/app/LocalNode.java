package org.hasm.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code hasm node} in a child JVM on this machine, for {@code hasm simulate --processes 3}: started with
 * this JVM's classpath and options, its output kept in a log file, waited for until it says it is up, and
 * stopped with SIGTERM (it leaves the cluster), then SIGKILL if it does not go. A JVM shutdown hook stops it
 * too, so Ctrl-C or an error in the parent leaves no orphan.
 */
public final class LocalNode implements AutoCloseable {
    /** The line {@code hasm node} prints once it is a member: its host (group 1) and port (group 2). */
    public static final Pattern UP = Pattern.compile("\\w+ node up at ([^:\\s]+):(\\d+), role \\w+");
    /**
     * Options of this JVM not copied into a child: a profiler or debugger would attach twice, and a test
     * runner's properties (when the parent is a test) mean nothing to a node.
     */
    private static final List<String> NOT_INHERITED = List.of("-agentlib", "-agentpath", "-javaagent", "-Xdebug", "-Xrunjdwp",
            "-XX:StartFlightRecording", "-XX:+FlightRecorder", "-Dmaven.", "-Dsurefire.", "-Dbasedir");

    /** Tells a child node to ignore SIGINT: a Ctrl-C at the terminal is the parent's to handle (SignalStop). */
    static final String CHILD_PROPERTY = "hasm.node.child";

    /** The {@code hasm} command line, {@code node} among its commands. */
    private static final String MAIN = HasmCommand.class.getName();

    private final String name;
    private final Process process;
    private final Path log;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final Thread hook;
    private volatile String hostPort;
    /** What a signal's stop of this node waits for first: the meters' closing anchors must still reach it. */
    private volatile java.util.concurrent.CompletionStage<?> holdFor = java.util.concurrent.CompletableFuture.completedFuture(null);
    /** The longest a signal's stop waits for {@link #holdFor}: beyond the phase in which the meters close (reference.conf). */
    private static final Duration HOLD = Duration.ofSeconds(150);

    private LocalNode(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.hook = new Thread(() -> {
            awaitHold();
            stop(Duration.ofSeconds(5));
        }, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts {@code hasm node ARGS} and returns once it is a member of its cluster.
     *
     * @param log where its output goes
     * @throws IllegalStateException when it stops or stays silent for {@code startup}, with its last lines
     */
    public static LocalNode start(String name, Path log, List<String> nodeArguments, Duration startup) throws IOException {
        List<String> options = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> NOT_INHERITED.stream().noneMatch(option::startsWith)).toList();
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command(options, nodeArguments)).redirectErrorStream(true).start();
        LocalNode node = new LocalNode(name, process, log);
        try {
            node.awaitUp(startup);
        } catch (RuntimeException | IOException e) {
            node.close();
            throw e;
        }
        return node;
    }

    /** {@code java OPTIONS -cp <this JVM's classpath> ... node ARGS}: the command line of a node on this machine. */
    public static List<String> command(List<String> jvmOptions, List<String> nodeArguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-D" + CHILD_PROPERTY + "=true");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN, "node"));
        command.addAll(nodeArguments);
        return command;
    }

    /** {@code host:port} of the node, as it said: what {@code --seed} takes. */
    public String hostPort() {
        return hostPort;
    }

    public long pid() {
        return process.pid();
    }

    private void awaitUp(Duration startup) throws IOException {
        CompletableFuture<String> up = new CompletableFuture<>();
        // its own thread: it blocks on the pipe, and keeps draining it after the line so the child never blocks
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    out.println(line);
                    synchronized (lastLines) {
                        lastLines.addLast(line);
                        if (lastLines.size() > 5) {
                            lastLines.removeFirst();
                        }
                    }
                    Matcher m = UP.matcher(line);
                    if (!up.isDone() && m.find()) {
                        up.complete(m.group(1) + ":" + m.group(2));
                    }
                }
            } catch (IOException e) {
                // the stream ends with the process
            }
            up.complete(null);
        }, "node-output-" + name);
        reader.setDaemon(true);
        reader.start();
        try {
            hostPort = up.get(startup.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            hostPort = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the " + name + " node started");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (hostPort == null) {
            String last;
            synchronized (lastLines) {
                last = String.join(" | ", lastLines);
            }
            throw new IllegalStateException("the " + name + " node " + (process.isAlive() ? "did not come up within "
                    + startup.toSeconds() + " s" : "stopped (exit code " + process.exitValue() + ")") + "; its last lines: "
                    + last + " (all of it in " + log + ")");
        }
    }

    /** SIGTERM, so that it leaves the cluster; SIGKILL after {@code grace}. Returns once it and its children are gone. */
    public void stop(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * On a signal the JVM runs this node's stop beside Pekko's shutdown: it stops the node only once {@code stage}
     * has completed (the meters have closed and the central system recorded their anchors), at most {@link #HOLD}.
     */
    void holdUntil(java.util.concurrent.CompletionStage<?> stage) {
        holdFor = stage;
    }

    private void awaitHold() {
        try {
            holdFor.toCompletableFuture().get(HOLD.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // stopped all the same: a node must never outlive the run
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway, and finds the node gone
        }
    }
}
