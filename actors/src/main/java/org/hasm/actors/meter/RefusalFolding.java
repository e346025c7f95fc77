package org.hasm.actors.meter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hasm.persistence.FoldedAttempts;

/**
 * The answer to the paper's "flush out an off-switch command with a rapid succession of less critical
 * commands": refused attempts are logged one by one up to a budget per window, per interface and kind;
 * beyond it they are folded into one summary entry per window (count, first and last time, SHA-256 over
 * the folded attempts), so a flood costs bounded space and still leaves evidence. Accepted commands and
 * actuations never pass through here: they are always logged.
 */
final class RefusalFolding {
    private static final class Window {
        final long start;
        long logged;
        final FoldedAttempts folded = new FoldedAttempts();

        Window(long start) {
            this.start = start;
        }
    }

    private final int budget;
    private final long windowMs;
    private final Map<String, Window> windows = new LinkedHashMap<>();

    RefusalFolding(int budgetPerWindow, long windowMs) {
        this.budget = budgetPerWindow;
        this.windowMs = windowMs;
    }

    /**
     * True if this refusal is to be logged on its own; false if it was folded. Summaries of windows that
     * ended are returned through {@code closed} first.
     */
    boolean admit(long now, String iface, String kind, String detail, List<LogEntry.RefusalsFolded> closed) {
        closed.addAll(closeEnded(now));
        Window w = windows.computeIfAbsent(iface + "\u0000" + kind, k -> new Window(now - Math.floorMod(now, windowMs)));
        if (w.logged < budget) {
            w.logged++;
            return true;
        }
        w.folded.add(now, detail);
        return false;
    }

    /** Summaries of every window that has ended by {@code now}; those windows are forgotten. */
    List<LogEntry.RefusalsFolded> closeEnded(long now) {
        List<LogEntry.RefusalsFolded> out = new ArrayList<>();
        windows.entrySet().removeIf(e -> {
            Window w = e.getValue();
            if (now < w.start + windowMs) {
                return false;
            }
            if (w.folded.count() > 0) {
                String[] key = e.getKey().split("\u0000", 2);
                out.add(new LogEntry.RefusalsFolded(key[0], key[1], w.folded.summary()));
            }
            return true;
        });
        return out;
    }
}
