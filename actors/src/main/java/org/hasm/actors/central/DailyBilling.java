package org.hasm.actors.central;

import java.util.List;
import java.util.Optional;
import org.hasm.actors.central.MeterAccount.DailyBill;
import org.hasm.actors.central.MeterAccount.DailyBillIssued;
import org.hasm.actors.central.MeterAccount.Event;
import org.hasm.actors.central.MeterAccount.ReadingReceived;

/**
 * A {@link MeterAccount}'s readings priced under the time-of-use tariff in force and summed into daily bills:
 * electricity is billed, gas and generation are only recorded.
 */
final class DailyBilling {
    private DailyBilling() {
    }

    /** CsSecurity's plaintexts: {@code electricity,start,end,importWh,exportWh}, {@code gas,at,litres}, {@code generation,at,Wh}. */
    static Optional<ReadingReceived> reading(AccountState state, long frame, String text) {
        String[] p = text.split(",", -1);
        try {
            if (p[0].equals("electricity") && p.length == 5) {
                long start = Long.parseLong(p[1]);
                long end = Long.parseLong(p[2]);
                long imported = Long.parseLong(p[3]);
                long exported = Long.parseLong(p[4]);
                if (end <= start || imported < 0 || exported < 0) {
                    return Optional.empty();
                }
                return Optional.of(new ReadingReceived(frame, "electricity", start, end, imported, exported,
                        state.tariffAt(start).cost(start, imported)));
            }
            if ((p[0].equals("gas") || p[0].equals("generation")) && p.length == 3) {
                long at = Long.parseLong(p[1]);
                long quantity = Long.parseLong(p[2]);
                if (quantity < 0) {
                    return Optional.empty();
                }
                boolean gas = p[0].equals("gas");
                return Optional.of(new ReadingReceived(frame, p[0], at, at, gas ? quantity : 0, gas ? 0 : quantity, 0));
            }
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Adds reading {@code r} to {@code events}, with the bill of an open day it leaves before it and the bill
     * of the day it closes after it.
     */
    static void record(AccountState state, ReadingReceived r, List<Event> events) {
        boolean electricity = r.commodity().equals("electricity");
        long day = Math.floorDiv(r.intervalStart(), AccountState.DAY_MS);
        if (electricity && state.openDay >= 0 && day > state.openDay && !state.openDayBilled()) {
            // the last reading of that day never came: bill what did
            events.add(new DailyBillIssued(state.openDayBill()));
        }
        events.add(r);
        if (electricity && Math.floorMod(r.intervalEnd(), AccountState.DAY_MS) == 0) {
            // the day's last reading closes the day: the bill goes out now, not with the next day's first reading
            boolean sameDay = day == state.openDay;
            events.add(new DailyBillIssued(new DailyBill(day, (sameDay ? state.dayImport : 0) + r.importWh(),
                    (sameDay ? state.dayExport : 0) + r.exportWh(), (sameDay ? state.dayCost : 0) + r.costMilliCents(),
                    (sameDay ? state.dayReadings : 0) + 1)));
        }
    }
}
