package org.hasm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.junit.jupiter.api.Test;

/** Progress bars off a terminal, as a CI log or a pipe shows them. */
class ProgressBarsTest {
    private static ProgressBarBuilder bar(long max) {
        return new ProgressBarBuilder().setTaskName("meters").setInitialMax(max).showSpeed();
    }

    @Test
    void theFinalLineOfABarIsPrintedOnce() {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (ProgressBar bar = ProgressBars.plain(bar(10), lines::add)) {
            bar.stepTo(10);
        }
        assertEquals(1, lines.stream().filter(l -> l.contains("100%")).count(), String.join("\n", lines));
    }

    @Test
    void aNewMessageAtTheSameCountIsPrinted() {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (ProgressBar bar = ProgressBars.plain(bar(10), lines::add)) {
            bar.stepTo(10);
            bar.refresh();
            bar.setExtraMessage("  done");
        }
        String last = lines.get(lines.size() - 1);
        assertTrue(last.contains("100%") && last.endsWith("  done"), String.join("\n", lines));
    }
}
