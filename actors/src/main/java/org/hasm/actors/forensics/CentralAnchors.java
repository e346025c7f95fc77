package org.hasm.actors.forensics;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.hasm.actors.central.LogKeyRegister;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.crypto.SignedLogAnchor;
import org.hasm.persistence.jdbc.JournalReader;
import org.hasm.persistence.jdbc.JournalStore;

/**
 * The central system's side of verification, read straight from the MeterAccounts' journal
 * ({@value JournalStore#CENTRAL_ACCOUNTS}): every anchor a meter sent, checked again against the meter's
 * signature under the key register's key, what each account proves the meter's logs hold
 * ({@link CentralEvidence}), and whether each account's journal is whole. A MeterAccount never deletes
 * events, so its sequence numbers run 1, 2, 3, ... without a hole: an anchor row deleted on the central
 * side leaves one, named here with the event's number. An anchor whose signature does not verify is
 * named and not trusted for the meter's chain.
 */
final class CentralAnchors {
    /** An anchor as the account recorded it; {@code event} is its sequence number in the account's journal. */
    record Recorded(long seq, byte[] head, long event) {
    }

    private static final String READING_MANIFEST = MeterAccount.ReadingReceived.class.getName();
    private static final String SWITCH_ACK_MANIFEST = MeterAccount.SwitchAcknowledged.class.getName();

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
    /** meter -> what its account proves the logs hold. */
    final Map<String, CentralEvidence> evidence = new HashMap<>();
    final List<StoreVerification.AccountCheck> accounts = new ArrayList<>();
    private final LogKeyRegister keys;
    long rows;

    private CentralAnchors(LogKeyRegister keys) {
        this.keys = keys;
    }

    /** Reads the accounts of {@code meters}, or of every meter if it is empty, checking anchors with {@code keys}. */
    static CentralAnchors read(JournalReader reader, Set<String> meters, LogKeyRegister keys, Runnable perRow)
            throws SQLException {
        return read(reader, meters, keys, perRow, Runnable::run);
    }

    /**
     * As above, each account's anchor signatures checked on {@code checkers} once its rows are read: an Ed25519
     * verification costs more than reading the row, so they run beside the reading thread.
     */
    static CentralAnchors read(JournalReader reader, Set<String> meters, LogKeyRegister keys, Runnable perRow,
                               Executor checkers) throws SQLException {
        CentralAnchors central = new CentralAnchors(keys);
        List<CompletableFuture<Checked>> checked = new ArrayList<>();
        AccountReader[] current = {null};
        reader.centralRows(JournalStore.CENTRAL_ACCOUNTS, meters, PERSISTENCE_ID_PREFIX, (pid, seq, deleted, manifest, payload) -> {
            if (current[0] == null || !current[0].pid.equals(pid)) {
                if (current[0] != null) {
                    checked.add(CompletableFuture.supplyAsync(current[0]::finish, checkers));
                }
                current[0] = new AccountReader(central, pid);
            }
            current[0].row(seq, deleted, manifest, payload);
            central.rows++;
            perRow.run();
        });
        if (current[0] != null) {
            checked.add(CompletableFuture.supplyAsync(current[0]::finish, checkers));
        }
        for (CompletableFuture<Checked> c : checked) {
            Checked account = c.join();
            central.accounts.add(account.check());
            if (!account.trusted().isEmpty()) {
                central.anchors.put(account.check().meterId(), account.trusted());
            }
        }
        return central;
    }

    /** One account read and its anchors checked: the verdict, and the anchors that can be trusted by segment. */
    private record Checked(StoreVerification.AccountCheck check, Map<String, List<Recorded>> trusted) {
    }

    CentralEvidence evidence(String meterId) {
        return evidence.getOrDefault(meterId, NO_EVIDENCE);
    }

    private static final CentralEvidence NO_EVIDENCE = new CentralEvidence();

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
        /** The account's anchors in event order, checked once all its rows are read ({@link #finish}). */
        private final List<Pending> pending = new ArrayList<>();
        /** The newest time the account's events carry so far: when an event without a time of its own happened. */
        private long latestTime;
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
            try {
                if (manifest.equals(ANCHOR_MANIFEST)) {
                    anchor(seq, CBOR.readValue(payload, MeterAccount.AnchorRecorded.class));
                } else if (manifest.equals(REFUSED_MANIFEST)) {
                    central.refusedFrames.computeIfAbsent(meterId, k -> new TreeSet<>()).add(seq);
                } else if (manifest.equals(READING_MANIFEST)) {
                    MeterAccount.ReadingReceived r = CBOR.readValue(payload, MeterAccount.ReadingReceived.class);
                    latestTime = Math.max(latestTime, r.intervalEnd());
                    if (r.commodity().equals("electricity")) {
                        evidence().reading(r.intervalStart(), r.intervalEnd(), r.importWh(), r.exportWh(), seq);
                    }
                } else if (manifest.equals(SWITCH_ACK_MANIFEST)) {
                    MeterAccount.SwitchAcknowledged a = CBOR.readValue(payload, MeterAccount.SwitchAcknowledged.class);
                    evidence().acceptedSwitch(a.sequence(), a.outcome(), seq, latestTime);
                }
            } catch (IOException | RuntimeException e) {
                problem(seq, "UNREADABLE", "event " + seq + " (" + manifest.substring(manifest.lastIndexOf('.') + 1)
                        + ") is not readable: " + StoreVerification.firstLine(e));
            }
        }

        private CentralEvidence evidence() {
            return central.evidence.computeIfAbsent(meterId, k -> new CentralEvidence());
        }

        private void anchor(long event, MeterAccount.AnchorRecorded a) {
            anchors++;
            latestTime = Math.max(latestTime, a.time());
            pending.add(new Pending(event, a));
        }

        private record Pending(long event, MeterAccount.AnchorRecorded anchor) {
        }

        /**
         * Each anchor is trusted only if it is the meter's own signed statement, unchanged, under the register's
         * key; the first that is not is the account's problem unless an earlier event already was one.
         */
        Checked finish() {
            Map<String, List<Recorded>> trusted = new HashMap<>();
            for (Pending p : pending) {
                MeterAccount.AnchorRecorded a = p.anchor();
                Distrust distrust = distrust(a);
                if (distrust == null) {
                    trusted.computeIfAbsent(a.segment(), k -> new ArrayList<>()).add(new Recorded(a.seq(), a.head(), p.event()));
                } else if (reason == null || p.event() < firstBad) {
                    firstBad = p.event();
                    reason = distrust.reason();
                    detail = "anchor event " + p.event() + " (" + a.segment() + " #" + a.seq() + "): " + distrust.why();
                }
            }
            return new Checked(new StoreVerification.AccountCheck(meterId, events, anchors, firstBad, reason, detail), trusted);
        }

        /** Why an anchor cannot be trusted, or null when it can. */
        private Distrust distrust(MeterAccount.AnchorRecorded a) {
            if (a.signed() == null) {
                return new Distrust("UNSIGNED_ANCHOR", "holds no signed statement of the meter, so nothing shows the meter sent it");
            }
            Optional<SignedLogAnchor> signed = SignedLogAnchor.decode(a.signed());
            if (signed.isEmpty()) {
                return new Distrust("FORGED_ANCHOR", "its signed statement is not a well-formed anchor");
            }
            SignedLogAnchor s = signed.get();
            if (!s.meterId().equals(meterId) || !s.segment().equals(a.segment()) || s.seq() != a.seq() || s.time() != a.time()
                    || !Arrays.equals(s.head(), a.head())) {
                return new Distrust("EDITED_ANCHOR", "the recorded meter, segment, entry, time or head differ from what the"
                        + " meter signed (" + s.meterId() + " " + s.segment() + " #" + s.seq() + ")");
            }
            String forged = switch (central.keys.check(s, a.channel())) {
                case SIGNED_BY_THE_METER -> null;
                case UNKNOWN_METER -> "the key register has no keys for " + meterId;
                case WRONG_MODULE -> "recorded as sent by " + a.channel() + ", which does not sign " + a.segment();
                case BAD_SIGNATURE -> "the signature does not verify under the meter's provisioned "
                        + LogKeyRegister.signer(a.segment()) + " log key (added, or re-signed with another key)";
            };
            return forged == null ? null : new Distrust("FORGED_ANCHOR", forged);
        }

        private record Distrust(String reason, String why) {
        }

        private void problem(long event, String why, String what) {
            if (reason == null) {
                firstBad = event;
                reason = why;
                detail = what;
            }
        }

    }
}
