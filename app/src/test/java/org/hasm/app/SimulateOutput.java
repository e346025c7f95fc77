package org.hasm.app;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The merged stdout and stderr of {@code hasm simulate} in a child JVM, read as it comes (a blocking read on
 * a thread of its own, no polling): its interval progress bar, redrawn with {@code \r}, tells when the run
 * has done some intervals; every other line is kept for the assertions and their messages.
 */
final class SimulateOutput {
    private static final Pattern PROGRESS = Pattern.compile("intervals .* (\\d+)/(\\d+) ");

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> reached = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private SimulateOutput() {
    }

    /** Starts reading {@code child}; {@link #reached()} completes once its progress bar shows {@code intervals} done. */
    /** {@code hasm ARGS} in a JVM of its own (512 MB heap, this JVM's class path), its output and errors together. */
    static Process start(String... args) throws java.io.IOException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), HasmCommand.class.getName()));
        command.addAll(java.util.List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    static SimulateOutput read(Process child, int intervals) {
        SimulateOutput output = new SimulateOutput();
        Thread reader = new Thread(() -> {
            try (Reader in = new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)) {
                StringBuilder line = new StringBuilder();
                for (int c = in.read(); c >= 0; c = in.read()) {
                    if (c != '\r' && c != '\n') {
                        line.append((char) c);
                        continue;
                    }
                    Matcher m = PROGRESS.matcher(line);
                    if (m.find()) {
                        if (Integer.parseInt(m.group(1)) >= intervals) {
                            output.reached.complete(Integer.parseInt(m.group(1)));
                        }
                    } else if (!line.isEmpty() && !line.toString().startsWith("meters")) {
                        output.lines.add(line.toString());
                    }
                    line.setLength(0);
                }
            } catch (java.io.IOException e) {
                // the stream ends with the process
            }
            output.reached.completeExceptionally(new AssertionError("the run ended before " + intervals + " intervals: "
                    + output.lines));
            output.ended.complete(null);
        }, "simulate-output");
        reader.setDaemon(true);
        reader.start();
        return output;
    }

    /** Intervals done when the bar first showed at least the number asked for. */
    CompletableFuture<Integer> reached() {
        return reached;
    }

    /** Completes when the child's output has ended (it closed its streams or exited). */
    CompletableFuture<Void> ended() {
        return ended;
    }

    /** The lines other than the progress bars, so far. */
    List<String> lines() {
        return List.copyOf(lines);
    }
}
