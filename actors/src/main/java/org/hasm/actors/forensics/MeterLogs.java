package org.hasm.actors.forensics;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hasm.actors.central.MeterAccount;
import org.hasm.persistence.Segment;
import org.hasm.policy.Part;

/**
 * One meter's logs as the journals hold them: its six segments, in sequence order, and its account at the
 * central system, in journal order.
 */
public record MeterLogs(String meterId, Map<Part, List<Segment.Entry>> segments, List<MeterAccount.Event> account) {
    private static final long DAY_MS = 86_400_000L;

    public MeterLogs {
        segments = Map.copyOf(segments);
        account = List.copyOf(account);
    }

    public List<Segment.Entry> entries(Part segment) {
        return segments.getOrDefault(segment, List.of());
    }

    /** No entry in any segment and no event at the central system: the store knows no such meter. */
    public boolean isEmpty() {
        return account.isEmpty() && segments.values().stream().allMatch(List::isEmpty);
    }

    /** The earliest and latest time of any entry of the meter's segments; empty if it has none. */
    public Optional<long[]> span() {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (List<Segment.Entry> entries : segments.values()) {
            for (Segment.Entry e : entries) {
                first = Math.min(first, e.time());
                last = Math.max(last, e.time());
            }
        }
        return first == Long.MAX_VALUE ? Optional.empty() : Optional.of(new long[] {first, last});
    }

    /**
     * An event of the central system with the time it happened. Events that carry no time of their own
     * (acknowledged switch commands, reports, refused frames) take the latest time before them in the
     * journal: the account persists events in the order it handles them.
     */
    public record CentralEvent(long time, boolean timeInferred, String kind, String detail, MeterAccount.Event event) {
    }

    public List<CentralEvent> central() {
        List<CentralEvent> out = new ArrayList<>();
        long last = Long.MIN_VALUE;
        for (MeterAccount.Event e : account) {
            Long own = ownTime(e);
            long t = own != null ? own : last;
            if (own != null) {
                last = Math.max(last, own);
            }
            out.add(new CentralEvent(t, own == null, e.getClass().getSimpleName(), describe(e), e));
        }
        return out;
    }

    private static Long ownTime(MeterAccount.Event e) {
        if (e instanceof MeterAccount.ReadingReceived r) {
            return r.intervalEnd();
        } else if (e instanceof MeterAccount.AcknowledgementSent a) {
            return a.readingsUntil();
        } else if (e instanceof MeterAccount.DailyBillIssued b) {
            return (b.bill().epochDay() + 1) * DAY_MS;
        } else if (e instanceof MeterAccount.AnchorRecorded a) {
            return a.time();
        } else if (e instanceof MeterAccount.CommandIssued c) {
            return c.issuedAt();
        } else if (e instanceof MeterAccount.SwitchCommandIssued s) {
            return s.issuedAt();
        } else if (e instanceof MeterAccount.TopUpTokenIssued t) {
            return t.issuedAt();
        }
        return null;
    }

    static String describe(MeterAccount.Event e) {
        if (e instanceof MeterAccount.ReadingReceived r) {
            return r.commodity() + " " + ForensicTime.show(r.intervalStart()) + ".." + ForensicTime.show(r.intervalEnd())
                    + " import=" + r.importWh() + " export=" + r.exportWh() + " cost=" + r.costMilliCents() + "m¢ frame #" + r.frame();
        } else if (e instanceof MeterAccount.AcknowledgementSent a) {
            return "readings until " + ForensicTime.show(a.readingsUntil()) + " (frame #" + a.frame() + ")";
        } else if (e instanceof MeterAccount.DailyBillIssued b) {
            MeterAccount.DailyBill d = b.bill();
            return "day " + java.time.LocalDate.ofEpochDay(d.epochDay()) + " import=" + d.importWh() + "Wh export=" + d.exportWh()
                    + "Wh cost=" + d.costMilliCents() + "m¢ readings=" + d.readings();
        } else if (e instanceof MeterAccount.AnchorRecorded a) {
            return a.segment() + " #" + a.seq() + " head=" + HexFormat.of().formatHex(a.head()).substring(0, 16) + "… via "
                    + a.channel() + " frame #" + a.frame();
        } else if (e instanceof MeterAccount.SwitchAcknowledged s) {
            return "switch command #" + s.sequence() + " " + s.outcome() + ": " + s.text();
        } else if (e instanceof MeterAccount.MeterReport r) {
            return r.kind() + " via " + r.channel() + ": " + r.text();
        } else if (e instanceof MeterAccount.FrameRefused r) {
            return r.cause() + " (" + r.bytes() + " bytes via " + r.channel() + ")";
        } else if (e instanceof MeterAccount.CommandIssued c) {
            return c.kind() + " #" + c.sequence() + " payload=" + c.payload();
        } else if (e instanceof MeterAccount.SwitchCommandIssued s) {
            return (s.on() ? "SWITCH_ON" : "SWITCH_OFF") + " #" + s.sequence() + " request=" + s.requestId();
        } else if (e instanceof MeterAccount.TopUpTokenIssued t) {
            return "token #" + t.tokenId() + " " + t.amountCents() + " cents";
        }
        return e.toString();
    }
}
