package org.hasm.actors.forensics;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import org.hasm.actors.central.MeterAccount;
import org.hasm.persistence.jdbc.JournalStore;

/**
 * The central system's side of verification, read straight from the MeterAccounts' journal
 * ({@value JournalStore#CENTRAL_ACCOUNTS}): every anchor a meter sent, and whether each account's journal
 * is whole. A MeterAccount never deletes events, so its sequence numbers run 1, 2, 3, ... without a hole:
 * an anchor row deleted on the central side leaves one, named here with the event's number.
 */
final class CentralAnchors {
    /** An anchor as the account recorded it; {@code event} is its sequence number in the account's journal. */
    record Recorded(long seq, byte[] head, long event) {
    }

    static final String PERSISTENCE_ID_PREFIX = MeterAccount.TYPE_KEY.name() + "|";
    private static final String ANCHOR_MANIFEST = MeterAccount.AnchorRecorded.class.getName();
    private static final String REFUSED_MANIFEST = MeterAccount.FrameRefused.class.getName();
    /** Pekko's jackson-cbor serializer writes plain CBOR, as for the segments' entries ({@code JournalRows}). */
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** meter -> segment journal name -> anchors in the order the account recorded them. */
    final Map<String, Map<String, List<Recorded>>> anchors = new HashMap<>();
    /** meter -> events that were refused frames: a frame lost to tampering may have been an anchor. */
    final Map<String, NavigableSet<Long>> refusedFrames = new HashMap<>();
    final List<StoreVerification.AccountCheck> accounts = new ArrayList<>();
    long rows;

    private CentralAnchors() {
    }

    /** Reads the accounts of {@code meters}, or of every meter if it is empty. */
    static CentralAnchors read(JournalStore store, Connection c, Set<String> meters, Runnable perRow) throws SQLException {
        CentralAnchors central = new CentralAnchors();
        JournalStore.Journal journal = JournalStore.Journal.central(JournalStore.CENTRAL_ACCOUNTS);
        String sql = "SELECT \"persistence_id\", \"sequence_number\", \"deleted\", \"event_ser_manifest\", \"event_payload\" FROM "
                + store.qualified(journal, journal.journalTable())
                + (meters.isEmpty() ? "" : " WHERE " + StoreVerification.inClause(meters.size())) + " ORDER BY \"persistence_id\", \"sequence_number\"";
        try (PreparedStatement p = c.prepareStatement(sql)) {
            StoreVerification.bindMeters(p, meters, PERSISTENCE_ID_PREFIX);
            p.setFetchSize(StoreVerification.FETCH_SIZE);
            try (ResultSet r = p.executeQuery()) {
                AccountReader current = null;
                while (r.next()) {
                    String pid = r.getString(1);
                    if (current == null || !current.pid.equals(pid)) {
                        if (current != null) {
                            central.accounts.add(current.done());
                        }
                        current = new AccountReader(central, pid);
                    }
                    current.row(r.getLong(2), r.getBoolean(3), r.getString(4), r.getBytes(5));
                    central.rows++;
                    perRow.run();
                }
                if (current != null) {
                    central.accounts.add(current.done());
                }
            }
        }
        return central;
    }

    List<Recorded> anchors(String meterId, String segment) {
        return anchors.getOrDefault(meterId, Map.of()).getOrDefault(segment, List.of());
    }

    /** True if the account recorded a refused frame after event {@code after} and before event {@code before}. */
    boolean refusedBetween(String meterId, long after, long before) {
        NavigableSet<Long> refused = refusedFrames.get(meterId);
        return refused != null && !refused.subSet(after, false, before, false).isEmpty();
    }

    /** Follows one account's rows in sequence order; remembers only its first problem. */
    private static final class AccountReader {
        private final CentralAnchors central;
        private final String pid;
        private final String meterId;
        private long expected = 1;
        private long events;
        private long anchors;
        private Long firstBad;
        private String reason;
        private String detail;

        AccountReader(CentralAnchors central, String pid) {
            this.central = central;
            this.pid = pid;
            this.meterId = pid.startsWith(PERSISTENCE_ID_PREFIX) ? pid.substring(PERSISTENCE_ID_PREFIX.length()) : pid;
        }

        void row(long seq, boolean deleted, String manifest, byte[] payload) {
            events++;
            if (seq != expected) {
                problem(expected, "CENTRAL_GAP", "the account's journal jumps from event " + (expected - 1) + " to " + seq
                        + ": " + (seq - expected) + " event(s) deleted (an anchor, a command, a reading?)");
            }
            expected = seq + 1;
            if (deleted) {
                problem(seq, "CENTRAL_GAP", "event " + seq + " is marked deleted, and an account never deletes its events");
            }
            if (manifest.equals(ANCHOR_MANIFEST)) {
                try {
                    MeterAccount.AnchorRecorded a = CBOR.readValue(payload, MeterAccount.AnchorRecorded.class);
                    central.anchors.computeIfAbsent(meterId, k -> new HashMap<>())
                            .computeIfAbsent(a.segment(), k -> new ArrayList<>()).add(new Recorded(a.seq(), a.head(), seq));
                    anchors++;
                } catch (IOException | RuntimeException e) {
                    problem(seq, "UNREADABLE", "event " + seq + " is not a readable anchor: " + StoreVerification.firstLine(e));
                }
            } else if (manifest.equals(REFUSED_MANIFEST)) {
                central.refusedFrames.computeIfAbsent(meterId, k -> new TreeSet<>()).add(seq);
            }
        }

        private void problem(long event, String why, String what) {
            if (reason == null) {
                firstBad = event;
                reason = why;
                detail = what;
            }
        }

        StoreVerification.AccountCheck done() {
            return new StoreVerification.AccountCheck(meterId, events, anchors, firstBad, reason, detail);
        }
    }
}
