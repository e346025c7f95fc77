package org.hasm.actors.meter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.hasm.actors.meter.MeterSignals.LogAnchorRequest;
import org.hasm.persistence.SegmentMessages;
import org.hasm.persistence.SegmentMessages.NotStored;
import org.hasm.persistence.SegmentMessages.Persisted;
import org.hasm.persistence.SegmentMessages.Retention;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * P11 for one owner module: an action runs only after the segment has confirmed the entry that
 * records it. Nothing blocks: the action waits in a map until the segment's {@code Persisted} arrives.
 * It also follows the segment's chain head and asks for an anchor every N entries or T minutes, at once
 * after a critical entry (the owner says which), and one last time when the run stops cleanly.
 */
final class WriteAhead {
    private final Channel<PolicyMessage> segment;
    private final Part segmentPart;
    private final Map<Long, Runnable> pending = new HashMap<>();
    /** Pending writes whose entry is anchored as soon as it is confirmed. */
    private final Set<Long> critical = new HashSet<>();
    private final Consumer<LogAnchorRequest> anchors;
    private final long anchorEveryEntries;
    private final long anchorEveryMs;
    private long nextCorrelation = 1;
    private long headSeq;
    private byte[] head;
    private long anchoredSeq;
    private long anchoredAt = Long.MIN_VALUE;
    /** The run is stopping: every entry from now on is anchored once confirmed, so none is left unanchored. */
    private boolean closing;
    private RefusalFolding folding;
    private Consumer<LogEntry.RefusalsFolded> afterSummary = summary -> { };

    WriteAhead(Wiring wiring, Part segmentPart, MeterConfig config, Consumer<LogAnchorRequest> anchors) {
        this.segment = wiring.to(segmentPart);
        this.segmentPart = segmentPart;
        this.anchors = anchors;
        this.anchorEveryEntries = config.anchorEveryEntries();
        this.anchorEveryMs = config.anchorEvery().toMillis();
    }

    /**
     * Refused attempts written through {@link #refused} are folded beyond the configured budget;
     * {@code afterSummary} runs with each summary once the summary entry is durable.
     */
    WriteAhead foldingRefusals(MeterConfig config, Consumer<LogEntry.RefusalsFolded> afterSummary) {
        this.folding = new RefusalFolding(config.refusalBudget(), config.refusalWindow().toMillis());
        this.afterSummary = afterSummary;
        return this;
    }

    /** A refused attempt: logged on its own within the budget (then {@code afterEntry} runs), folded beyond it. */
    void refused(long now, String iface, LogEntry entry, Runnable afterEntry) {
        List<LogEntry.RefusalsFolded> closed = new ArrayList<>();
        boolean alone = folding.admit(now, iface, entry.kind(), entry.text(), closed);
        closed.forEach(s -> logSummary(now, s));
        if (alone) {
            append(now, entry, afterEntry, Retention.BOUNDED);
        }
    }

    /**
     * Kept even at the quota: one summary stands for a whole window's flood, at most one per window,
     * interface and kind, and it is the evidence of the flood.
     */
    private void logSummary(long now, LogEntry.RefusalsFolded s) {
        append(now, s, () -> afterSummary.accept(s), Retention.KEEP);
    }

    /** Log {@code entry}, an entry the segment always keeps, and then run {@code effect}. */
    void append(long time, LogEntry entry, Runnable effect) {
        append(time, entry, effect, Retention.KEEP);
    }

    /**
     * Log {@code entry}, a critical one (an accepted command, a switch): once it is confirmed its head is anchored
     * at once, not at the next periodic anchor, so cutting it off the tail is found. Then run {@code effect}.
     */
    void appendCritical(long time, LogEntry entry, Runnable effect) {
        critical.add(append(time, entry, effect, Retention.KEEP));
    }

    /** Log {@code entry}, its text also the new value of {@code key} in the log's values, then run {@code effect}. */
    void appendState(long time, LogEntry entry, String key, Runnable effect) {
        appendWithState(time, entry, key, effect);
    }

    /** {@link #appendState}, for a critical entry: anchored at once once it is confirmed ({@link #appendCritical}). */
    void appendCriticalState(long time, LogEntry entry, String key, Runnable effect) {
        critical.add(appendWithState(time, entry, key, effect));
    }

    /** The write's correlation number. */
    private long append(long time, LogEntry entry, Runnable effect, Retention retention) {
        return write(effect, c -> new SegmentMessages.AppendEntry(time, entry.kind(), entry.text(), c, retention));
    }

    private long appendWithState(long time, LogEntry entry, String key, Runnable effect) {
        return write(effect, c -> new SegmentMessages.AppendEntry(time, entry.kind(), entry.text(), c, Retention.KEEP, key));
    }

    /** Sends the write made with the next correlation number, which it returns; {@code effect} runs once it is confirmed. */
    private long write(Runnable effect, LongFunction<SegmentMessages.SegmentCommand> command) {
        long c = nextCorrelation++;
        pending.put(c, effect);
        segment.send(command.apply(c));
        return c;
    }

    /**
     * The segment is at its quota and counted this refused attempt instead of logging it: like a folded
     * attempt, its effect does not run. True if the answer was for this segment.
     */
    boolean notStored(NotStored n) {
        if (n.segment() != segmentPart) {
            return false;
        }
        pending.remove(n.correlation());
        critical.remove(n.correlation());
        return true;
    }

    /** The sequence number of the newest confirmed entry: inside an effect, the entry that effect waited for. */
    long confirmedSeq() {
        return headSeq;
    }

    /** MetrologyLog: record that the central system acknowledged every entry up to {@code upToSeq}. */
    void acknowledge(long time, long upToSeq) {
        write(() -> { }, c -> new SegmentMessages.RecordAcknowledgement(time, upToSeq, c));
    }

    /** Store {@code key=value} in a value segment and then run {@code effect}. */
    void store(long time, String key, String value, Runnable effect) {
        write(effect, c -> switch (segmentPart) {
            case Tariffs -> new SegmentMessages.StoreTariffs(time, key, value, c);
            case CreditStore -> new SegmentMessages.StoreCredit(time, key, value, c);
            case OperationalParameters -> new SegmentMessages.StoreParameters(time, key, value, c);
            default -> throw new IllegalStateException(segmentPart + " is not a value segment");
        });
    }

    /** True if this confirmation was for this segment and its action ran. */
    boolean confirmed(Persisted p, long now) {
        if (p.segment() != segmentPart) {
            return false;
        }
        if (p.sequenceNr() > headSeq) {
            headSeq = p.sequenceNr();
            head = p.head();
        }
        Runnable effect = pending.remove(p.correlation());
        boolean anchorNow = critical.remove(p.correlation()) || closing;
        if (effect != null) {
            effect.run();
        }
        if (headSeq > anchoredSeq && (anchorNow || headSeq - anchoredSeq >= anchorEveryEntries || anchorPeriodPassed(now))) {
            anchor(now);
        }
        return true;
    }

    /**
     * The run stops cleanly: the refusals folded so far are summarised, the head is anchored if entries came
     * after the last anchor, and every entry confirmed from now on (a summary, a late acknowledgement, a counter
     * reservation) is anchored at once, so the segment ends anchored.
     */
    void close(long now) {
        closing = true;
        if (folding != null) {
            folding.closeEnded(Long.MAX_VALUE).forEach(s -> logSummary(now, s));
        }
        if (headSeq > anchoredSeq) {
            anchor(now);
        }
    }

    /** What the Clock's tick says: the time, and whether the run is stopping ({@link #close}). */
    void tick(MeterSignals.Tick t) {
        tick(t.now());
        if (t.closing()) {
            close(t.now());
        }
    }

    /**
     * Anchors new entries once the anchoring period has passed (checked again at each confirmation), and
     * writes the summaries of folding windows that have ended.
     */
    void tick(long now) {
        if (anchoredAt == Long.MIN_VALUE) {
            anchoredAt = now;
        } else if (headSeq > anchoredSeq && anchorPeriodPassed(now)) {
            anchor(now);
        }
        if (folding != null) {
            folding.closeEnded(now).forEach(s -> logSummary(now, s));
        }
    }

    private boolean anchorPeriodPassed(long now) {
        return anchoredAt != Long.MIN_VALUE && now - anchoredAt >= anchorEveryMs;
    }

    private void anchor(long now) {
        anchoredSeq = headSeq;
        anchoredAt = now;
        anchors.accept(new LogAnchorRequest(segmentPart, headSeq, head, now));
    }
}
