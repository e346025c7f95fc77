package org.hasm.actors.forensics;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.hasm.actors.central.MeterAccount;
import org.hasm.persistence.Segment;
import org.hasm.persistence.jdbc.JournalRows;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.policy.Part;

/** What an attacker with the database's credentials does to a store, in plain SQL: the tests' hands. */
final class TamperingSql {
    static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final JournalStore.Journal ACCOUNTS = JournalStore.Journal.central(JournalStore.CENTRAL_ACCOUNTS);

    /** One event of a meter's account, as stored. */
    record AccountRow(long seq, String manifest, byte[] payload) {
        boolean isAnchor() {
            return manifest.equals(MeterAccount.AnchorRecorded.class.getName());
        }

        MeterAccount.AnchorRecorded anchor() {
            try {
                return CBOR.readValue(payload, MeterAccount.AnchorRecorded.class);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private final JournalStore store;

    TamperingSql(JournalStore store) {
        this.store = store;
    }

    String table(Part part) {
        return store.qualified(part, JournalStore.journalTable(part));
    }

    String accounts() {
        return store.qualified(ACCOUNTS, ACCOUNTS.journalTable());
    }

    static String pid(Part part, String meter) {
        return Segment.journalName(part) + "|" + meter;
    }

    static String accountPid(String meter) {
        return CentralAnchors.PERSISTENCE_ID_PREFIX + meter;
    }

    List<Segment.Entry> entries(Part part, String meter) throws SQLException {
        List<Segment.Entry> entries = new ArrayList<>();
        try (Connection c = store.connect(); PreparedStatement p = c.prepareStatement("SELECT \"event_payload\" FROM " + table(part)
                + " WHERE \"persistence_id\" = ? ORDER BY \"sequence_number\"")) {
            p.setString(1, pid(part, meter));
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    entries.add(JournalRows.entry(pid(part, meter), r.getBytes(1)));
                }
            }
        }
        return entries;
    }

    /** Deletes the segment's entries after {@code seq}; returns how many. */
    int cutAfter(Part part, String meter, long seq) throws SQLException {
        return sql("DELETE FROM " + table(part) + " WHERE \"persistence_id\" = ? AND \"sequence_number\" > ?", pid(part, meter), seq);
    }

    /** Replaces the payload of the row of entry {@code e}'s own sequence number. */
    void write(Part part, String meter, Segment.Entry e) throws Exception {
        writeAt(part, meter, e.seq(), e);
    }

    /** Replaces the payload of row {@code seq} with {@code e}, which may be another row's entry. */
    void writeAt(Part part, String meter, long seq, Segment.Entry e) throws Exception {
        if (sql("UPDATE " + table(part) + " SET \"event_payload\" = ? WHERE \"persistence_id\" = ? AND \"sequence_number\" = ?",
                CBOR.writeValueAsBytes(e), pid(part, meter), seq) != 1) {
            throw new IllegalStateException("no row " + seq + " of " + pid(part, meter));
        }
    }

    /** Replaces the rows of these entries, each at its own sequence number, in one batch. */
    void write(Part part, String meter, List<Segment.Entry> entries) throws Exception {
        try (Connection c = store.connect(); PreparedStatement p = c.prepareStatement("UPDATE " + table(part)
                + " SET \"event_payload\" = ? WHERE \"persistence_id\" = ? AND \"sequence_number\" = ?")) {
            for (Segment.Entry e : entries) {
                p.setBytes(1, CBOR.writeValueAsBytes(e));
                p.setString(2, pid(part, meter));
                p.setLong(3, e.seq());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    List<AccountRow> account(String meter) throws SQLException {
        List<AccountRow> rows = new ArrayList<>();
        try (Connection c = store.connect(); PreparedStatement p = c.prepareStatement("SELECT \"sequence_number\", "
                + "\"event_ser_manifest\", \"event_payload\" FROM " + accounts() + " WHERE \"persistence_id\" = ? ORDER BY "
                + "\"sequence_number\"")) {
            p.setString(1, accountPid(meter));
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    rows.add(new AccountRow(r.getLong(1), r.getString(2), r.getBytes(3)));
                }
            }
        }
        return rows;
    }

    /** The account's anchors of {@code segment}, in the order recorded. */
    List<AccountRow> anchors(String meter, Part segment) throws Exception {
        List<AccountRow> anchors = new ArrayList<>();
        for (AccountRow row : account(meter)) {
            if (row.isAnchor() && row.anchor().segment().equals(Segment.journalName(segment))) {
                anchors.add(row);
            }
        }
        return anchors;
    }

    void rewriteEvent(String meter, long seq, Object event) throws Exception {
        if (sql("UPDATE " + accounts() + " SET \"event_payload\" = ? WHERE \"persistence_id\" = ? AND \"sequence_number\" = ?",
                CBOR.writeValueAsBytes(event), accountPid(meter), seq) != 1) {
            throw new IllegalStateException("no event " + seq + " of " + accountPid(meter));
        }
    }

    /** Appends an event to the account, copying the bookkeeping columns of its event {@code like}. */
    void appendEvent(String meter, long like, Object event) throws Exception {
        long next = account(meter).stream().mapToLong(AccountRow::seq).max().orElse(0) + 1;
        String columns = "\"deleted\", \"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_ser_id\", \"event_ser_manifest\"";
        if (sql("INSERT INTO " + accounts() + " (\"persistence_id\", \"sequence_number\", \"event_payload\", " + columns + ") SELECT "
                + "?, ?, ?, " + columns + " FROM " + accounts() + " WHERE \"persistence_id\" = ? AND \"sequence_number\" = ?",
                accountPid(meter), next, CBOR.writeValueAsBytes(event), accountPid(meter), like) != 1) {
            throw new IllegalStateException("no event " + like + " of " + accountPid(meter) + " to copy");
        }
    }

    /** Deletes the account's events after {@code seq}, which leaves no hole. */
    int deleteEventsAfter(String meter, long seq) throws SQLException {
        return sql("DELETE FROM " + accounts() + " WHERE \"persistence_id\" = ? AND \"sequence_number\" > ?", accountPid(meter), seq);
    }

    int sql(String statement, Object... args) throws SQLException {
        try (Connection c = store.connect(); PreparedStatement p = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            return p.executeUpdate();
        }
    }
}
