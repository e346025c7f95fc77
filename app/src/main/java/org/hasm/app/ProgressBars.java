package org.hasm.app;

import java.io.IOException;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** The commands' progress bars, on standard error so that a command's output can be piped. */
public final class ProgressBars {
    private ProgressBars() {
    }

    /** A live bar on a terminal; on a pipe or a CI log, plain lines every five seconds. */
    public static ProgressBar bar(String task, long total) {
        return build(builder(task, total).showSpeed());
    }

    /** A bar of the seconds a timed run has lasted ("4/10 s"), without a speed: it would always be 1 s/s. */
    public static ProgressBar seconds(String task, long seconds) {
        return build(builder(task, seconds).setUnit(" s", 1));
    }

    private static ProgressBarBuilder builder(String task, long total) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUpdateIntervalMillis(500)
                .setStyle(ProgressBarStyle.ASCII);
    }

    private static ProgressBar build(ProgressBarBuilder b) {
        if (System.console() == null) {
            return plain(b, line -> System.err.println(line));
        }
        return b.setConsumer(new ConsoleProgressBarConsumer(System.err, terminalWidth())).build();
    }

    /** Off a terminal: one line to {@code sink} every five seconds and one when the bar closes. */
    static ProgressBar plain(ProgressBarBuilder b, Consumer<String> sink) {
        return b.setConsumer(new PlainLines(sink)).setUpdateIntervalMillis(5_000).build();
    }

    /**
     * Lines for a log. progressbar draws a bar once more as it closes, after drawing its last step: on a
     * terminal the second drawing overwrites the first, in a log it was the same 100 % line twice. A line that
     * differs from the one before only in its clock (elapsed time, estimate, speed) is left out.
     */
    private static final class PlainLines implements ProgressBarConsumer {
        private static final Pattern CLOCK = Pattern.compile("\\(\\d+:\\d{2}:\\d{2}( / [^)]*)?\\) ?\\S*");
        private final Consumer<String> sink;
        private String last;

        PlainLines(Consumer<String> sink) {
            this.sink = sink;
        }

        @Override
        public int getMaxRenderedLength() {
            return 160;
        }

        @Override
        public synchronized void accept(String rendered) {
            String line = rendered.strip();
            String withoutClock = CLOCK.matcher(line).replaceFirst("");
            if (!withoutClock.equals(last)) {
                last = withoutClock;
                sink.accept(line);
            }
        }

        @Override
        public void close() {
        }
    }

    /**
     * The terminal's width, read with JLine's native signal handling off. progressbar's own terminal (built when
     * no width is given) installs the default action for SIGINT, so Ctrl-C killed the JVM without its shutdown
     * hooks: no {@link SignalStop} line, no orderly stop of the actor system or of child processes.
     */
    private static int terminalWidth() {
        try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).nativeSignals(false).build()) {
            int width = terminal.getWidth();
            return width >= MIN_WIDTH ? width : DEFAULT_WIDTH;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_WIDTH;
        }
    }

    private static final int MIN_WIDTH = 40;
    private static final int DEFAULT_WIDTH = 100;
}
