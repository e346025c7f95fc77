package org.hasm.actors.forensics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.meter.Computations;
import org.hasm.actors.meter.CreditBalance;
import org.hasm.actors.meter.MetrologyLogEntry;
import org.hasm.actors.meter.OffSwitchLogEntry;
import org.hasm.actors.meter.OffSwitchLogEntry.SwitchState;
import org.hasm.persistence.Segment;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.policy.Part;

/**
 * A meter at an instant, rebuilt by replaying its entries up to and including that instant: each segment's
 * length, latest values and latest entry, what they mean (credit, prepaid, tariff, switch, last reading),
 * and the central system's account at the same instant.
 */
public record MeterState(String meterId, long at, String atText, Meter meter, Central central, List<SegmentState> segments) {

    public record SegmentState(String segment, long entries, long firstSeq, long lastSeq, long lastTime, String lastKind,
                               String lastValue, Map<String, String> values) {
    }

    /** The meter's view; {@code creditMilliCents} null when the CreditStore holds no credit yet. */
    public record Meter(Long creditMilliCents, boolean prepaid, String tariff, String supply, String switchCause,
                        long lastSwitchSequence, String lastReading, long lastReadingTime) {
    }

    /** The central system's account, replayed the way MeterAccount applies its events. */
    public record Central(boolean prepaid, long creditMilliCents, long readings, long bills, long commands, long switchCommands,
                          long topUpTokens, long anchors, long refusedFrames) {
    }

    public static MeterState at(MeterLogs logs, long at) {
        List<SegmentState> segments = new ArrayList<>();
        Map<Part, Map<String, String>> values = new java.util.EnumMap<>(Part.class);
        Segment.Entry lastReading = null;
        for (Part p : JournalStore.segments()) {
            Map<String, String> v = new TreeMap<>();
            Segment.Entry first = null;
            Segment.Entry last = null;
            long count = 0;
            for (Segment.Entry e : logs.entries(p)) {
                if (e.time() > at) {
                    break;
                }
                count++;
                first = first == null ? e : first;
                last = e;
                if (!e.key().isEmpty()) {
                    v.put(e.key(), e.value());
                }
                if (p == Part.MetrologyLog && e.kind().equals(MetrologyLogEntry.READING)) {
                    lastReading = e;
                }
            }
            values.put(p, v);
            segments.add(new SegmentState(Segment.journalName(p), count, first == null ? 0 : first.seq(),
                    last == null ? 0 : last.seq(), last == null ? 0 : last.time(), last == null ? "" : last.kind(),
                    last == null ? "" : last.value(), v));
        }
        Map<String, String> credit = values.get(Part.CreditStore);
        SwitchState switchState = SwitchState.ofValue(values.get(Part.OffSwitchLog).get(OffSwitchLogEntry.SWITCH_STATE));
        Meter meter = new Meter(credit.containsKey(CreditBalance.CREDIT) ? Long.valueOf(credit.get(CreditBalance.CREDIT)) : null,
                Boolean.parseBoolean(credit.getOrDefault(CreditBalance.PREPAID, "false")),
                values.get(Part.Tariffs).getOrDefault(Computations.TARIFF_KEY, ""), switchState.supply().name(),
                switchState.cause().name(), switchState.sequence(), lastReading == null ? "" : lastReading.value(),
                lastReading == null ? 0 : lastReading.time());
        return new MeterState(logs.meterId(), at, ForensicTime.show(at), meter, central(logs, at), segments);
    }

    private static Central central(MeterLogs logs, long at) {
        boolean prepaid = false;
        long credit = 0;
        long readings = 0;
        long bills = 0;
        long commands = 0;
        long switches = 0;
        long tokens = 0;
        long anchors = 0;
        long refused = 0;
        for (MeterLogs.CentralEvent c : logs.central()) {
            if (c.time() > at) {
                continue; // an account's events are in handling order, not strictly in time order
            }
            MeterAccount.Event e = c.event();
            if (e instanceof MeterAccount.ReadingReceived r) {
                readings++;
                if (prepaid && r.commodity().equals("electricity")) {
                    credit -= r.costMilliCents();
                }
            } else if (e instanceof MeterAccount.DailyBillIssued) {
                bills++;
            } else if (e instanceof MeterAccount.CommandIssued ci) {
                commands++;
                if (ci.kind() == CommandKind.SET_PAYMENT_MODE) {
                    prepaid = Boolean.parseBoolean(ci.payload());
                }
            } else if (e instanceof MeterAccount.SwitchCommandIssued) {
                switches++;
            } else if (e instanceof MeterAccount.TopUpTokenIssued t) {
                tokens++;
                credit += t.amountCents() * 1000;
            } else if (e instanceof MeterAccount.AnchorRecorded) {
                anchors++;
            } else if (e instanceof MeterAccount.FrameRefused) {
                refused++;
            }
        }
        return new Central(prepaid, credit, readings, bills, commands, switches, tokens, anchors, refused);
    }

    /** Milli-cents as cents with three decimals: {@code 314.000 cents}. */
    public static String cents(long milliCents) {
        return String.format(java.util.Locale.ROOT, "%s%d.%03d cents", milliCents < 0 ? "-" : "", Math.abs(milliCents) / 1000,
                Math.abs(milliCents) % 1000);
    }

    /** 24 hourly prices as runs, "00-17h 15000, 18-21h 35000, 22-23h 15000" (milli-cents per kWh). */
    public static String hours(String tariff) {
        String[] p = tariff.split(",");
        if (p.length != 24) {
            return tariff;
        }
        StringBuilder s = new StringBuilder();
        int from = 0;
        for (int h = 1; h <= 24; h++) {
            if (h == 24 || !p[h].equals(p[from])) {
                s.append(s.length() == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%02d-%02dh %s", from, h - 1, p[from]));
                from = h;
            }
        }
        return s.toString();
    }
}
