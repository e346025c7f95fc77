package org.hasm.actors.meter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to the paper's "flush out an off-switch command with a rapid succession of less critical
 * commands": refused attempts are logged one by one up to a budget per window, per interface and kind;
 * beyond it they are folded into one summary entry per window (count, first and last time, SHA-256 over
 * the folded attempts), so a flood costs bounded space and still leaves evidence. Accepted commands and
 * actuations never pass through here: they are always logged.
 */
final class RefusalFolding {
    /** One summary entry's worth of folded refusals. */
    record Summary(String iface, String kind, long count, long first, long last, String sha256) {
        String detail() {
            return "iface=" + iface + " kind=" + kind + " count=" + count + " first=" + first + " last=" + last
                    + " sha256=" + sha256;
        }
    }

    private static final class Window {
        final long start;
        long logged;
        long folded;
        long first;
        long last;
        final MessageDigest digest = sha256();

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
    boolean admit(long now, String iface, String kind, String detail, List<Summary> closed) {
        closed.addAll(closeEnded(now));
        Window w = windows.computeIfAbsent(iface + "\u0000" + kind, k -> new Window(now - Math.floorMod(now, windowMs)));
        if (w.logged < budget) {
            w.logged++;
            return true;
        }
        if (w.folded == 0) {
            w.first = now;
        }
        w.folded++;
        w.last = now;
        byte[] d = detail.getBytes(StandardCharsets.UTF_8);
        w.digest.update(ByteBuffer.allocate(12).putLong(now).putInt(d.length).array());
        w.digest.update(d);
        return false;
    }

    /** Summaries of every window that has ended by {@code now}; those windows are forgotten. */
    List<Summary> closeEnded(long now) {
        List<Summary> out = new ArrayList<>();
        windows.entrySet().removeIf(e -> {
            Window w = e.getValue();
            if (now < w.start + windowMs) {
                return false;
            }
            if (w.folded > 0) {
                String[] key = e.getKey().split("\u0000", 2);
                out.add(new Summary(key[0], key[1], w.folded, w.first, w.last, HexFormat.of().formatHex(w.digest.digest())));
            }
            return true;
        });
        return out;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
