package org.hasm.actors.forensics.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.hasm.actors.central.LogKeyRegister;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.crypto.SignedLogAnchor;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.forensics.StoreVerification;
import org.hasm.actors.forensics.VerificationOutput;
import org.hasm.persistence.EntryHash;
import org.hasm.persistence.Segment;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.SchemaCreator;
import org.hasm.persistence.jdbc.TestDatabases;
import org.hasm.policy.Part;
import org.hasm.actors.link.SecurityModule;

/**
 * {@code hasm replay verify}'s throughput against the raw rate of reading the same rows and hashing each
 * payload with SHA-256, in the same run on the same database.
 *
 * <p>The store is filled directly with batched JDBC inserts (no actors): {@code --meters} meters with
 * {@code --entries} real hash-chained entries in all, spread over the six segments like a meter's (most in
 * the MetrologyLog), in CBOR as Pekko's jackson-cbor serializer writes them, and an anchor in the
 * meter's central account every 96 entries of each segment, as the meters send them. Then, round after
 * round: raw (the same SELECTs verify runs, SHA-256 over each payload) and verify
 * ({@link StoreVerification#verify}); medians over the rounds.
 *
 * <p>Run: {@code ./mvnw -q -B -pl actors test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.hasm.actors.forensics.bench.VerifyBenchmark -Dexec.args="--db h2 --entries 1000000"}
 *
 * <p>Options: {@code --db h2|postgres|both} (h2), {@code --entries N} (1,000,000), {@code --meters M} (2,000),
 * {@code --rounds R} (3), {@code --dir DIR} (H2's parent directory, default a temporary one), {@code --keep yes}
 * (leave the H2 store, e.g. to try the command line on it).
 */
public final class VerifyBenchmark {
    private static final int SERIALIZER_ID = 33; // Pekko's jackson-cbor
    private static final int ANCHOR_EVERY = 96;
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final int BATCH = 5_000;
    /** Share of a meter's entries per segment, in {@link JournalStore#segments()} order. */
    private static final Map<Part, Double> SHARE = new LinkedHashMap<>();

    static {
        SHARE.put(Part.MetrologyLog, 0.70);
        SHARE.put(Part.SecurityLog, 0.08);
        SHARE.put(Part.OffSwitchLog, 0.02);
        SHARE.put(Part.Tariffs, 0.02);
        SHARE.put(Part.CreditStore, 0.12);
        SHARE.put(Part.OperationalParameters, 0.06);
    }

    private final Map<String, String> options = new LinkedHashMap<>(Map.of("db", "h2", "entries", "1000000",
            "meters", "2000", "rounds", "3"));
    private final ObjectMapper cbor = new ObjectMapper(new CBORFactory());

    private VerifyBenchmark(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
    }

    public static void main(String[] args) throws Exception {
        new VerifyBenchmark(args).run();
        System.exit(0);
    }

    private void run() throws Exception {
        String db = options.get("db");
        if (db.equals("h2") || db.equals("both")) {
            Path dir = options.containsKey("dir") ? Path.of(options.get("dir")) : Files.createTempDirectory("verify-bench");
            Path data = dir.resolve("h2-" + UUID.randomUUID());
            try {
                measure("H2 file", JournalStore.h2(data));
            } finally {
                if (options.containsKey("keep")) {
                    System.out.println("kept the store for 'hasm replay verify --data " + data + "'");
                } else {
                    TestDatabases.deleteRecursively(data);
                }
            }
        }
        if (db.equals("postgres") || db.equals("both")) {
            try (EmbeddedPostgres pg = TestDatabases.startPostgres()) {
                measure("PostgreSQL 16", TestDatabases.postgresStore(pg));
            }
        }
    }

    private void measure(String name, JournalStore store) throws Exception {
        long entries = Long.parseLong(options.get("entries"));
        int meters = Integer.parseInt(options.get("meters"));
        int rounds = Integer.parseInt(options.get("rounds"));
        SchemaCreator.create(store);
        long started = System.nanoTime();
        long anchors = fill(store, entries, meters);
        System.out.printf(Locale.ROOT, "%s: filled %,d entries of %,d meters and %,d anchors in %.1f s%n", name, entries, meters,
                anchors, (System.nanoTime() - started) / 1e9);
        JournalStore readOnly = store.readOnly();
        List<Double> raw = new ArrayList<>();
        List<Double> verified = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            long t = System.nanoTime();
            long rows = raw(readOnly);
            double rawSeconds = (System.nanoTime() - t) / 1e9;
            t = System.nanoTime();
            StoreVerification.Result r = StoreVerification.verify(readOnly, keys);
            double verifySeconds = (System.nanoTime() - t) / 1e9;
            if (!r.intact() || r.entries() != entries || r.anchors() != anchors) {
                throw new IllegalStateException("verify did not see the store as written: " + VerificationOutput.summary(r));
            }
            raw.add(entries / rawSeconds);
            verified.add(entries / verifySeconds);
            System.out.printf(Locale.ROOT, "round %d: raw %,d rows read and hashed in %.2f s (%,.0f entries/s), verify %.2f s"
                    + " (%,.0f entries/s), ratio %.0f %%%n", round, rows, rawSeconds, entries / rawSeconds, verifySeconds,
                    entries / verifySeconds, 100 * rawSeconds / verifySeconds);
        }
        double rawMedian = median(raw);
        double verifyMedian = median(verified);
        System.out.printf(Locale.ROOT, "%s, %,d entries (%,d meters, %,d anchors): verify %,.0f entries/s, raw read + SHA-256"
                        + " %,.0f rows/s, ratio %.0f %% (medians of %d rounds)%n", name, entries, meters, anchors, verifyMedian,
                rawMedian, 100 * verifyMedian / rawMedian, rounds);
    }

    /** Reads what verify reads, the same way, and hashes every payload; returns the rows read. */
    private static long raw(JournalStore store) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long rows = 0;
        long sink = 0;
        try (Connection c = store.connect()) {
            c.setAutoCommit(false);
            List<String> tables = new ArrayList<>();
            JournalStore.Journal accounts = JournalStore.Journal.central(JournalStore.CENTRAL_ACCOUNTS);
            tables.add(store.qualified(accounts, accounts.journalTable()));
            for (Part part : JournalStore.segments()) {
                tables.add(store.qualified(part, JournalStore.journalTable(part)));
            }
            for (String table : tables) {
                try (PreparedStatement p = c.prepareStatement("SELECT \"persistence_id\", \"sequence_number\", \"event_payload\" FROM "
                        + table + " WHERE \"deleted\" = FALSE ORDER BY \"persistence_id\", \"sequence_number\"")) {
                    p.setFetchSize(2_000);
                    try (ResultSet r = p.executeQuery()) {
                        while (r.next()) {
                            sink += r.getString(1).length() + r.getLong(2);
                            sink += sha.digest(r.getBytes(3))[0];
                            rows++;
                        }
                    }
                }
            }
            c.rollback();
        }
        if (sink == 42) {
            System.out.print(""); // keeps the JIT from dropping the work
        }
        return rows;
    }

    /** Every meter signs with the same two keys here: the benchmark measures verifying, not provisioning. */
    private final SigningKeys csLogKey = SigningKeys.generate(new java.security.SecureRandom());
    private final SigningKeys offSwitchLogKey = SigningKeys.generate(new java.security.SecureRandom());
    private LogKeyRegister keys;

    /** Inserts the meters' chained entries and their anchors; returns the number of anchors. */
    private long fill(JournalStore store, long entries, int meters) throws Exception {
        String writer = UUID.randomUUID().toString();
        String columns = " (\"deleted\", \"persistence_id\", \"sequence_number\", \"writer\", \"write_timestamp\", "
                + "\"adapter_manifest\", \"event_payload\", \"event_ser_id\", \"event_ser_manifest\") VALUES (FALSE, ?, ?, ?, ?, '', ?, ?, ?)";
        JournalStore.Journal accountsJournal = JournalStore.Journal.central(JournalStore.CENTRAL_ACCOUNTS);
        long anchors = 0;
        try (Connection c = store.connect()) {
            c.setAutoCommit(false);
            Map<Part, PreparedStatement> inserts = new LinkedHashMap<>();
            for (Part part : JournalStore.segments()) {
                inserts.put(part, c.prepareStatement("INSERT INTO " + store.qualified(part, JournalStore.journalTable(part)) + columns));
            }
            PreparedStatement accounts = c.prepareStatement("INSERT INTO "
                    + store.qualified(accountsJournal, accountsJournal.journalTable()) + columns);
            int pending = 0;
            long perMeter = entries / meters;
            Map<String, LogKeyRegister.LogKeys> register = new java.util.HashMap<>();
            for (int m = 0; m < meters; m++) {
                String meterId = String.format("m%05d", m);
                register.put(meterId, new LogKeyRegister.LogKeys(csLogKey.verifyingKey(), offSwitchLogKey.verifyingKey()));
                long meterEntries = perMeter + (m < entries % meters ? 1 : 0);
                long left = meterEntries;
                long accountSeq = 0;
                long frame = 0;
                List<Part> parts = List.copyOf(SHARE.keySet());
                for (int k = 0; k < parts.size(); k++) {
                    Part part = parts.get(k);
                    long n = k == parts.size() - 1 ? left : Math.min(left, Math.round(meterEntries * SHARE.get(part)));
                    left -= n;
                    String segment = Segment.journalName(part);
                    String pid = segment + "|" + meterId;
                    byte[] previous = EntryHash.genesis();
                    for (long seq = 1; seq <= n; seq++) {
                        long time = T0 + seq * 900_000L;
                        Segment.Entry e = entry(part, meterId, segment, seq, time, previous);
                        previous = e.hash();
                        add(inserts.get(part), pid, seq, writer, time, cbor.writeValueAsBytes(e), Segment.Entry.class.getName());
                        if (seq % ANCHOR_EVERY == 0 || seq == n) {
                            boolean offSwitch = part == Part.OffSwitchLog;
                            byte[] signed = SignedLogAnchor.sign(offSwitch ? offSwitchLogKey : csLogKey, meterId, segment, seq,
                                    time, e.hash()).encode();
                            MeterAccount.AnchorRecorded a = new MeterAccount.AnchorRecorded(offSwitch
                                    ? SecurityModule.OFF_SWITCH_SECURITY : SecurityModule.CS_SECURITY, ++frame,
                                    segment, seq, time, e.hash(), signed);
                            add(accounts, MeterAccount.TYPE_KEY.name() + "|" + meterId, ++accountSeq, writer, time,
                                    cbor.writeValueAsBytes(a), MeterAccount.AnchorRecorded.class.getName());
                            anchors++;
                            pending++;
                        }
                        if (++pending >= BATCH) {
                            flush(c, inserts.values(), accounts);
                            pending = 0;
                        }
                    }
                }
            }
            flush(c, inserts.values(), accounts);
            keys = LogKeyRegister.of(register);
            for (PreparedStatement p : inserts.values()) {
                p.close();
            }
            accounts.close();
        }
        return anchors;
    }

    private static Segment.Entry entry(Part part, String meterId, String segment, long seq, long time, byte[] previous) {
        String kind;
        String key = "";
        String value;
        switch (part) {
            case MetrologyLog -> {
                kind = "reading";
                value = time + ".." + (time + 900_000L) + " import=" + (seq * 7919 % 900) + "Wh export=0Wh";
            }
            case SecurityLog -> {
                kind = "frame-refused";
                value = "iface=DC cause=BAD_TAG bytes=" + (64 + seq % 100);
            }
            case OffSwitchLog -> {
                kind = "actuation";
                value = "actuation: OFF (remote command #" + seq + ") | supply=OFF cause=REMOTE sequence=" + seq;
            }
            default -> {
                kind = "store";
                key = part == Part.Tariffs ? "tariff" : part == Part.CreditStore ? "credit" : "cs-in-counter";
                value = Long.toString(seq * 1_000 + 17);
            }
        }
        return new Segment.Entry(seq, time, kind, key, value, previous,
                EntryHash.of(meterId, segment, seq, time, kind, key, value, previous));
    }

    private static void add(PreparedStatement p, String pid, long seq, String writer, long time, byte[] payload,
                            String manifest) throws Exception {
        p.setString(1, pid);
        p.setLong(2, seq);
        p.setString(3, writer);
        p.setLong(4, time);
        p.setBytes(5, payload);
        p.setInt(6, SERIALIZER_ID);
        p.setString(7, manifest);
        p.addBatch();
    }

    private static void flush(Connection c, Iterable<PreparedStatement> inserts, PreparedStatement accounts) throws Exception {
        for (PreparedStatement p : inserts) {
            p.executeBatch();
        }
        accounts.executeBatch();
        c.commit();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
