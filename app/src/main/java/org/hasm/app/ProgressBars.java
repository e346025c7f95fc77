package org.hasm.app;

import java.io.IOException;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** The commands' progress bars, on standard error so that a command's output can be piped. */
public final class ProgressBars {
    private ProgressBars() {
    }

    /** A live bar on a terminal; on a pipe or a CI log, plain lines every five seconds. */
    public static ProgressBar bar(String task, long total) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUpdateIntervalMillis(500)
                .setStyle(ProgressBarStyle.ASCII).showSpeed();
        if (System.console() == null) {
            b.setConsumer(new DelegatingProgressBarConsumer(line -> System.err.println(line.strip()), 160))
                    .setUpdateIntervalMillis(5_000);
        } else {
            b.setConsumer(new ConsoleProgressBarConsumer(System.err, terminalWidth()));
        }
        return b.build();
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
