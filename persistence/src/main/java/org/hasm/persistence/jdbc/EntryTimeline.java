package org.hasm.persistence.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.hasm.persistence.Segment;
import org.hasm.policy.Part;

/**
 * How many entries each segment journal held at the end of each interval, all meters together, counted
 * by the time written in the entries themselves: a report of a run can be drawn after the run, from the
 * logs, without counting anything while it runs.
 */
public final class EntryTimeline {
    private EntryTimeline() {
    }

    /**
     * @param start      the first interval's start, epoch milliseconds
     * @param intervalMs the interval's length
     * @param intervals  how many intervals; an entry before the first counts in the first, one after the last in the last
     * @return per journal name (metrology-log, ...), the entries up to the end of each interval
     */
    public static Map<String, long[]> cumulative(JournalStore store, long start, long intervalMs, int intervals) {
        Map<String, long[]> counts = new TreeMap<>();
        try (Connection c = store.connect(); Statement s = c.createStatement()) {
            for (Part segment : JournalStore.segments()) {
                long[] perInterval = new long[intervals];
                try (ResultSet r = s.executeQuery("SELECT \"persistence_id\", \"event_payload\" FROM "
                        + store.qualified(segment, JournalStore.journalTable(segment)))) {
                    while (r.next()) {
                        Segment.Entry e = JournalRows.entry(r.getString(1), r.getBytes(2));
                        long k = Math.floorDiv(e.time() - start, intervalMs);
                        perInterval[(int) Math.max(0, Math.min(intervals - 1, k))]++;
                    }
                }
                for (int k = 1; k < intervals; k++) {
                    perInterval[k] += perInterval[k - 1];
                }
                counts.put(Segment.journalName(segment), perInterval);
            }
        } catch (SQLException e) {
            throw DatabaseErrors.explain(store, e);
        }
        return counts;
    }
}
