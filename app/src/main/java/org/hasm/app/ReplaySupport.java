package org.hasm.app;

import java.util.List;
import org.hasm.actors.forensics.ForensicReader;
import org.hasm.actors.forensics.ForensicTime;
import org.hasm.actors.forensics.MeterLogs;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.StorageException;

/** What timeline, state and explain share: opening the store read-only, finding a meter, reading a time. */
final class ReplaySupport {
    private ReplaySupport() {
    }

    static ForensicReader open(StorageOptions storage, CentralDataOption central) {
        try {
            JournalStore store = storage.existing();
            JournalStore centralStore = central.centralStore(storage, store);
            // one connection first: a database in use or out of reach is one line now, not a pool timeout later
            try (java.sql.Connection c = store.connect()) {
                c.isValid(5);
            } catch (java.sql.SQLException e) {
                throw new StorageException("cannot read " + store.describe() + ": " + e.getMessage(), e);
            }
            return ForensicReader.open(store, centralStore);
        } catch (StorageException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** The meter's logs; a meter the store does not hold is a user error that names the ones it does. */
    static MeterLogs meter(ForensicReader reader, String meterId) {
        MeterLogs logs = reader.meter(meterId);
        if (logs.isEmpty()) {
            List<String> known = reader.meterIds();
            throw new UserError("unknown meter '" + meterId + "': the logs hold " + (known.isEmpty() ? "no meter"
                    : known.size() + " meter" + (known.size() == 1 ? "" : "s") + " (" + known.get(0)
                    + (known.size() > 1 ? " .. " + known.get(known.size() - 1) : "") + ")"));
        }
        return logs;
    }

    static long time(String option, String text) {
        if (text.strip().matches("\\d+") && ForensicTime.parse(text).isEmpty()) {
            throw new UserError(option + " '" + text + "' is out of range: epoch milliseconds go up to " + Long.MAX_VALUE);
        }
        return ForensicTime.parse(text).orElseThrow(() -> new UserError(option + " '" + text + "' is not a time: use "
                + ForensicTime.FORMATS));
    }

    /** {@code at} must lie within the meter's log, else nothing in it speaks for that instant. */
    static void within(MeterLogs logs, String option, long at) {
        long[] span = logs.span().orElseThrow(() -> new UserError("meter '" + logs.meterId() + "' has no log entries"));
        if (at < span[0] || at > span[1]) {
            throw new UserError(option + " " + ForensicTime.show(at) + " is outside the log of " + logs.meterId() + ", which runs from "
                    + ForensicTime.show(span[0]) + " to " + ForensicTime.show(span[1]));
        }
    }
}
