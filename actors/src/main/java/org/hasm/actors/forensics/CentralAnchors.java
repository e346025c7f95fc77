package org.hasm.actors.forensics;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import org.hasm.actors.central.MeterAccount;
import org.hasm.persistence.jdbc.JournalReader;
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
    static CentralAnchors read(JournalReader reader, Set<String> meters, Runnable perRow) throws SQLException {
        CentralAnchors central = new CentralAnchors();
        AccountReader[] current = {null};
        reader.centralRows(JournalStore.CENTRAL_ACCOUNTS, meters, PERSISTENCE_ID_PREFIX, (pid, seq, deleted, manifest, payload) -> {
            if (current[0] == null || !current[0].pid.equals(pid)) {
                if (current[0] != null) {
                    central.accounts.add(current[0].done());
                }
                current[0] = new AccountReader(central, pid);
            }
            current[0].row(seq, deleted, manifest, payload);
            central.rows++;
            perRow.run();
        });
        if (current[0] != null) {
            central.accounts.add(current[0].done());
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
