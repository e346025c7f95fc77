package org.hasm.actors.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

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
            b.setConsumer(new ConsoleProgressBarConsumer(System.err));
        }
        return b.build();
    }
}
