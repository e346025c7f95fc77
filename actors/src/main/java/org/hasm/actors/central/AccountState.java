package org.hasm.actors.central;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hasm.actors.central.MeterAccount.AccountView;
import org.hasm.actors.central.MeterAccount.AcknowledgementSent;
import org.hasm.actors.central.MeterAccount.AnchorRecorded;
import org.hasm.actors.central.MeterAccount.CommandIssued;
import org.hasm.actors.central.MeterAccount.DailyBill;
import org.hasm.actors.central.MeterAccount.DailyBillIssued;
import org.hasm.actors.central.MeterAccount.Event;
import org.hasm.actors.central.MeterAccount.FrameRefused;
import org.hasm.actors.central.MeterAccount.MeterReport;
import org.hasm.actors.central.MeterAccount.ReadingReceived;
import org.hasm.actors.central.MeterAccount.SwitchAcknowledged;
import org.hasm.actors.central.MeterAccount.SwitchCommandIssued;
import org.hasm.actors.central.MeterAccount.TopUpTokenIssued;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.link.SecurityModule;
import org.hasm.actors.meter.Tariff;
import org.hasm.persistence.ChainVerifier;

/**
 * A {@link MeterAccount}'s state and how each of its events changes it. Mutable, owned by the entity; the
 * outside sees {@link AccountView}s. It is never snapshotted, so it is rebuilt from the journal each time.
 */
final class AccountState {
    static final long DAY_MS = 86_400_000L;

    final TreeMap<Long, Tariff> tariffs = new TreeMap<>();
    final List<DailyBill> bills = new ArrayList<>();
    final Map<String, List<ChainVerifier.Anchor>> anchors = new HashMap<>();
    final Map<String, Long> refusals = new TreeMap<>();
    final Map<Long, Boolean> switchIssued = new HashMap<>();
    final Map<Long, String> switchAcknowledged = new TreeMap<>();
    long readings;
    long lastReadingFrame;
    long lastReadingEnd;
    long openDay = -1;
    long dayImport;
    long dayExport;
    long dayCost;
    int dayReadings;
    boolean prepaid;
    long creditMilliCents;
    long acknowledgements;
    long anchorCount;
    long commands;
    // what ProvisionedMeter must resume after
    long framesToMeter;
    long framesFromMeter;
    long switchReports;
    long commandSequence;
    long switchSequence;
    long tokenId;

    AccountState(Tariff initialTariff) {
        tariffs.put(Long.MIN_VALUE, initialTariff);
    }

    Tariff tariffAt(long epochMillis) {
        Map.Entry<Long, Tariff> e = tariffs.floorEntry(epochMillis);
        return e != null ? e.getValue() : tariffs.firstEntry().getValue();
    }

    ProvisionedMeter.Counters counters() {
        return new ProvisionedMeter.Counters(framesToMeter, framesFromMeter, switchReports, commandSequence, switchSequence, tokenId);
    }

    /** The open day's bill so far, or null before the first electricity reading. */
    DailyBill openDayBill() {
        return openDay < 0 ? null : new DailyBill(openDay, dayImport, dayExport, dayCost, dayReadings);
    }

    /** Whether the open day's bill has already gone out (its last reading came). */
    boolean openDayBilled() {
        return !bills.isEmpty() && bills.get(bills.size() - 1).epochDay() == openDay;
    }

    AccountView view(String meterId, long eventsReplayed) {
        return new AccountView(meterId, readings, lastReadingFrame, List.copyOf(bills), openDayBill(), prepaid,
                creditMilliCents, tokenId, commands, switchIssued.size(), new LinkedHashMap<>(switchAcknowledged),
                acknowledgements, anchorCount, new LinkedHashMap<>(refusals), eventsReplayed, lastReadingEnd);
    }

    void apply(Event event) {
        if (event instanceof ReadingReceived r) {
            reading(r);
        } else if (event instanceof AcknowledgementSent a) {
            framesToMeter = Math.max(framesToMeter, a.frame());
            acknowledgements++;
        } else if (event instanceof DailyBillIssued b) {
            bills.add(b.bill());
        } else if (event instanceof AnchorRecorded a) {
            opened(a.channel(), a.frame());
            anchors.computeIfAbsent(a.segment(), k -> new ArrayList<>()).add(new ChainVerifier.Anchor(a.seq(), a.head()));
            anchorCount++;
        } else if (event instanceof SwitchAcknowledged a) {
            opened(SecurityModule.OFF_SWITCH_SECURITY, a.frame());
            switchAcknowledged.put(a.sequence(), a.outcome());
        } else if (event instanceof MeterReport r) {
            opened(r.channel(), r.frame());
        } else if (event instanceof FrameRefused r) {
            opened(r.channel(), r.frame());
            refusals.merge(r.cause(), 1L, Long::sum);
        } else if (event instanceof CommandIssued c) {
            command(c);
        } else if (event instanceof SwitchCommandIssued c) {
            switchSequence = Math.max(switchSequence, c.sequence());
            switchIssued.put(c.sequence(), c.on());
        } else if (event instanceof TopUpTokenIssued t) {
            tokenId = Math.max(tokenId, t.tokenId());
            creditMilliCents += t.amountCents() * 1000;
        }
    }

    private void reading(ReadingReceived r) {
        opened(SecurityModule.CS_SECURITY, r.frame());
        readings++;
        lastReadingFrame = r.frame();
        if (r.commodity().equals("electricity")) {
            long day = Math.floorDiv(r.intervalStart(), DAY_MS);
            if (day != openDay) {
                openDay = day;
                dayImport = 0;
                dayExport = 0;
                dayCost = 0;
                dayReadings = 0;
            }
            dayImport += r.importWh();
            dayExport += r.exportWh();
            dayCost += r.costMilliCents();
            dayReadings++;
            lastReadingEnd = r.intervalEnd();
            if (prepaid) {
                creditMilliCents -= r.costMilliCents();
            }
        }
    }

    private void command(CommandIssued c) {
        commandSequence = Math.max(commandSequence, c.sequence());
        framesToMeter = Math.max(framesToMeter, c.frame());
        commands++;
        if (c.kind() == CommandKind.SET_TARIFF) {
            tariffs.put(c.issuedAt(), Tariff.decode(c.payload()));
        } else if (c.kind() == CommandKind.SET_PAYMENT_MODE) {
            prepaid = Boolean.parseBoolean(c.payload());
        }
    }

    private void opened(SecurityModule channel, long frame) {
        if (channel == SecurityModule.CS_SECURITY) {
            framesFromMeter = Math.max(framesFromMeter, frame);
        } else {
            switchReports = Math.max(switchReports, frame);
        }
    }
}
