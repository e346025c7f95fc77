package org.hasm.persistence.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import org.hasm.persistence.Segment;
import org.hasm.policy.Part;

/**
 * The journal tables read straight, without an actor system, for the commands that verify a store: row
 * counts, the segments' rows and the central system's rows in primary-key order, and whether a persistence
 * id has any row. All of it runs in one transaction on one connection that is rolled back when the reader
 * closes, and nothing here writes: reading a store never changes it.
 */
public final class JournalReader implements AutoCloseable {
    /** Rows fetched per round trip while streaming a table. */
    public static final int FETCH_SIZE = 2_000;

    /** One row of a segment's journal table. */
    @FunctionalInterface
    public interface SegmentRow {
        void row(String persistenceId, long seq, byte[] payload) throws SQLException;
    }

    /** One row of a central journal table, deleted or not, with its event's manifest. */
    @FunctionalInterface
    public interface CentralRow {
        void row(String persistenceId, long seq, boolean deleted, String manifest, byte[] payload) throws SQLException;
    }

    private final JournalStore store;
    private final Connection connection;

    private JournalReader(JournalStore store, Connection connection) {
        this.store = store;
        this.connection = connection;
    }

    /** A reader on its own connection, in one transaction. */
    public static JournalReader open(JournalStore store) throws SQLException {
        Connection c = store.connect();
        try {
            c.setAutoCommit(false);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return new JournalReader(store, c);
    }

    public JournalStore store() {
        return store;
    }

    /** Ends the read transaction without a write to keep, and closes the connection. */
    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
        } finally {
            connection.close();
        }
    }

    /** The persistence id of a meter's segment: {@code metrology-log|<meter>}. */
    public static String segmentPrefix(Part segment) {
        return Segment.journalName(segment) + "|";
    }

    /** Rows of a segment's table, of {@code meters} (or of all meters if it is empty), deleted or not. */
    public long countSegmentRows(Part segment, Set<String> meters) throws SQLException {
        return count(store.qualified(segment, JournalStore.journalTable(segment)), meters, segmentPrefix(segment));
    }

    /** Rows of a central journal's table whose persistence ids are {@code prefix} + one of {@code ids} (all if empty). */
    public long countCentralRows(String journal, Set<String> ids, String prefix) throws SQLException {
        return count(centralTable(journal), ids, prefix);
    }

    /**
     * Streams a segment's rows of {@code meters} (all if empty) in primary-key order. The plugin keeps the last
     * row of a deletion flagged instead of deleting it; those rows are skipped, as Pekko's replay skips them.
     */
    public void segmentRows(Part segment, Set<String> meters, SegmentRow row) throws SQLException {
        String sql = "SELECT \"persistence_id\", \"sequence_number\", \"event_payload\" FROM "
                + store.qualified(segment, JournalStore.journalTable(segment)) + " WHERE \"deleted\" = FALSE"
                + (meters.isEmpty() ? "" : " AND " + inClause(meters.size()))
                + " ORDER BY \"persistence_id\", \"sequence_number\"";
        try (PreparedStatement p = connection.prepareStatement(sql)) {
            bind(p, meters, segmentPrefix(segment));
            p.setFetchSize(FETCH_SIZE);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    row.row(r.getString(1), r.getLong(2), r.getBytes(3));
                }
            }
        }
    }

    /** Streams a central journal's rows of {@code prefix} + one of {@code ids} (all if empty) in primary-key order, deleted ones too. */
    public void centralRows(String journal, Set<String> ids, String prefix, CentralRow row) throws SQLException {
        String sql = "SELECT \"persistence_id\", \"sequence_number\", \"deleted\", \"event_ser_manifest\", \"event_payload\" FROM "
                + centralTable(journal)
                + (ids.isEmpty() ? "" : " WHERE " + inClause(ids.size())) + " ORDER BY \"persistence_id\", \"sequence_number\"";
        try (PreparedStatement p = connection.prepareStatement(sql)) {
            bind(p, ids, prefix);
            p.setFetchSize(FETCH_SIZE);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    row.row(r.getString(1), r.getLong(2), r.getBoolean(3), r.getString(4), r.getBytes(5));
                }
            }
        }
    }

    /** Of {@code ids}, those with no row in the table of {@code segment}: persistence id {@code prefix} + id. */
    public Set<String> withoutSegmentRows(Part segment, Set<String> ids) throws SQLException {
        return withoutRows(store.qualified(segment, JournalStore.journalTable(segment)), segmentPrefix(segment), ids);
    }

    /** Of {@code ids}, those with no row in a central journal's table: persistence id {@code prefix} + id. */
    public Set<String> withoutCentralRows(String journal, String prefix, Set<String> ids) throws SQLException {
        return withoutRows(centralTable(journal), prefix, ids);
    }

    private Set<String> withoutRows(String table, String prefix, Set<String> ids) throws SQLException {
        Set<String> without = new TreeSet<>(ids);
        try (PreparedStatement p = connection.prepareStatement("SELECT 1 FROM " + table + " WHERE \"persistence_id\" = ? LIMIT 1")) {
            for (String id : ids) {
                p.setString(1, prefix + id);
                try (ResultSet r = p.executeQuery()) {
                    if (r.next()) {
                        without.remove(id);
                    }
                }
            }
        }
        return without;
    }

    private String centralTable(String journal) {
        JournalStore.Journal j = JournalStore.Journal.central(journal);
        return store.qualified(j, j.journalTable());
    }

    private long count(String table, Set<String> ids, String prefix) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("SELECT COUNT(*) FROM " + table
                + (ids.isEmpty() ? "" : " WHERE " + inClause(ids.size())))) {
            bind(p, ids, prefix);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** {@code "persistence_id" IN (?, ?, ...)}. */
    private static String inClause(int n) {
        return "\"persistence_id\" IN (" + String.join(", ", Collections.nCopies(n, "?")) + ")";
    }

    private static void bind(PreparedStatement p, Set<String> ids, String prefix) throws SQLException {
        int i = 1;
        for (String id : new TreeSet<>(ids)) {
            p.setString(i++, prefix + id);
        }
    }
}
