package org.hasm.persistence.jdbc.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.hasm.persistence.Segment;
import org.hasm.persistence.SegmentMessages.AppendEntry;
import org.hasm.persistence.SegmentMessages.Persisted;
import org.hasm.persistence.SegmentMessages.PortWiring;
import org.hasm.persistence.SegmentMessages.ReadSegment;
import org.hasm.persistence.SegmentMessages.SegmentCommand;
import org.hasm.persistence.SegmentMessages.SegmentContents;
import org.hasm.persistence.SegmentMessages.StoreCredit;
import org.hasm.persistence.SegmentMessages.StoreParameters;
import org.hasm.persistence.SegmentMessages.StoreTariffs;
import org.hasm.persistence.SegmentPort;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.SchemaCreator;
import org.hasm.persistence.jdbc.TestDatabases;
import org.hasm.policy.Part;

/**
 * Journal throughput through pekko-persistence-jdbc against raw batched JDBC inserts of the same rows
 * into the same database, in the same run.
 *
 * <p>Plugin: N segments (SegmentPort + Segment, spread over the six segment kinds and so over six journals
 * sharing one pool, or all OffSwitchLog with {@code --segments 1}) all recover first, then each writes its
 * next entry as soon as the previous one is confirmed. Counted: confirmations per second after a warm-up.
 * Raw: {@code --raw-threads} threads insert batches of {@code --raw-batch} rows, each batch one transaction,
 * into a table with the journal's layout, with the payload of a real journal row and N persistence ids.
 *
 * <p>Run: {@code ./mvnw -q -B -pl persistence test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.hasm.persistence.jdbc.bench.JournalBenchmark -Dexec.args="--db both"}
 *
 * <p>Options: {@code --db h2|postgres|both} (both), {@code --entities 1000,10000} (segments),
 * {@code --meters 1000,10000} (instead of {@code --entities}: six segments per meter, one of each kind), {@code --warmup 60},
 * {@code --seconds 10}, {@code --segments 6|1} (6), {@code --pool 20}, {@code --raw-threads 8},
 * {@code --raw-batch 400}, {@code --journal key=value} (any jdbc-journal setting on all six journals,
 * repeatable), {@code --dir DIR} (H2's parent directory, default a temporary one), {@code --raw on|off} (on),
 * {@code --variant name:setting,setting} (repeatable; each setting {@code journal.<key>=v} for every segment
 * journal, {@code pool.<key>=v} for the shared pool, {@code url.replace=OLD/NEW} for the pool's JDBC URL, or a
 * full configuration path {@code =v}), {@code --rounds
 * N} (1), {@code --in-flight K} (1: each segment's owner waits for every confirmation before its next entry, the
 * worst case; 4: the owner keeps up to four entries unconfirmed, as a meter does with {@code hasm simulate}'s four
 * intervals in flight, and the port writes what has queued as one batch). With variants, each round measures every variant and then the raw baseline, one after the other in
 * the same database, and the summary gives the medians over the rounds: alternating cancels much of the
 * drift of a shared machine.
 */
public final class JournalBenchmark {
    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> journalSettings = new ArrayList<>();
    /** Named sets of settings measured against each other, round after round, in the same database. */
    private final Map<String, List<String>> variants = new LinkedHashMap<>();

    private JournalBenchmark(String[] args) {
        options.put("db", "both");
        options.put("entities", "1000,10000");
        options.put("warmup", "60"); // on two cores C2 is still compiling the write path a minute in
        options.put("seconds", "10");
        options.put("segments", "6");
        options.put("pool", String.valueOf(JournalStore.DEFAULT_POOL_SIZE));
        options.put("raw-threads", "8");
        options.put("raw-batch", "400");
        options.put("dir", "");
        options.put("raw", "on");
        options.put("rounds", "1");
        options.put("in-flight", "1");
        options.put("meters", "");
        for (int i = 0; i < args.length; i++) {
            String key = args[i].replaceFirst("^--", "");
            if (i + 1 >= args.length || !options.containsKey(key) && !key.equals("journal") && !key.equals("variant")) {
                throw new IllegalArgumentException("unknown or incomplete option " + args[i] + "; see the Javadoc");
            }
            if (key.equals("journal")) {
                journalSettings.add(args[++i]);
            } else if (key.equals("variant")) {
                String[] nameAndSettings = args[++i].split(":", 2);
                variants.put(nameAndSettings[0], nameAndSettings.length < 2 || nameAndSettings[1].isEmpty() ? List.of()
                        : List.of(nameAndSettings[1].split(",")));
            } else {
                options.put(key, args[++i]);
            }
        }
    }

    private int integer(String key) {
        return Integer.parseInt(options.get(key));
    }

    public static void main(String[] args) throws Exception {
        new JournalBenchmark(args).run();
    }

    private void run() throws Exception {
        // The collector matters: with 60,000 segment actors G1 costs the plugin a third of its rate (BENCHMARKS.md).
        System.out.printf(Locale.ROOT, "JournalBenchmark %s, journal settings %s, %d cores, Java %s, collectors %s%n",
                options, journalSettings, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(java.lang.management.GarbageCollectorMXBean::getName).toList());
        String db = options.get("db");
        if (db.equals("h2") || db.equals("both")) {
            Path parent = options.get("dir").isEmpty() ? Files.createTempDirectory("hasm-bench-")
                    : Files.createDirectories(Path.of(options.get("dir")));
            Path dir = Files.createTempDirectory(parent, "h2-");
            try {
                benchmark("H2 file", JournalStore.h2(dir));
            } finally {
                TestDatabases.deleteRecursively(options.get("dir").isEmpty() ? parent : dir);
            }
        }
        if (db.equals("postgres") || db.equals("both")) {
            try (EmbeddedPostgres pg = TestDatabases.startPostgres()) {
                benchmark("PostgreSQL 16 (fsync on, synchronous_commit on)", TestDatabases.postgresStore(pg));
            }
        }
    }

    private void benchmark(String name, JournalStore baseStore) throws Exception {
        JournalStore store = baseStore.withPoolSize(integer("pool"));
        SchemaCreator.create(store);
        List<Part> segments = integer("segments") == 1 ? List.of(Part.OffSwitchLog) : JournalStore.segments();
        System.out.printf(Locale.ROOT, "%n== %s: %s, %d journal(s)%n", name, store, segments.size());
        Map<String, List<String>> runs = variants.isEmpty() ? Map.of("plugin", List.of()) : variants;
        // --meters N: a meter has one segment of each of the six kinds, so N meters are 6N segments
        String sizes = options.get("meters").isEmpty() ? options.get("entities")
                : java.util.Arrays.stream(options.get("meters").split(","))
                        .map(m -> String.valueOf(Integer.parseInt(m.trim()) * JournalStore.segments().size()))
                        .collect(java.util.stream.Collectors.joining(","));
        for (String n : sizes.split(",")) {
            int entities = Integer.parseInt(n.trim());
            Map<String, List<Double>> results = new LinkedHashMap<>();
            List<Double> raws = new ArrayList<>();
            List<Map.Entry<String, List<String>>> order = new ArrayList<>(runs.entrySet());
            for (int round = 1; round <= integer("rounds"); round++) {
                // each round starts with another variant, so that none always runs first (on a cold JVM)
                for (int k = 0; k < order.size(); k++) {
                    Map.Entry<String, List<String>> v = order.get((round - 1 + k) % order.size());
                    double plugin = pluginRun(store, segments, entities, v.getValue());
                    results.computeIfAbsent(v.getKey(), variantName -> new ArrayList<>()).add(plugin);
                    if (!variants.isEmpty()) {
                        System.out.printf(Locale.ROOT, "  round %d, %,d entities, %s %s: %,.0f events/s%n", round, entities,
                                v.getKey(), v.getValue(), plugin);
                    }
                }
                Row row = sampleRow(store, segments.get(0));
                double raw = options.get("raw").equals("on") ? rawRun(store, row, entities) : Double.NaN;
                raws.add(raw);
                if (!variants.isEmpty()) {
                    System.out.printf(Locale.ROOT, "  round %d, %,d entities, raw JDBC: %,.0f rows/s%n", round, entities, raw);
                }
            }
            double raw = median(raws);
            for (Map.Entry<String, List<Double>> r : results.entrySet()) {
                double plugin = median(r.getValue());
                System.out.printf(Locale.ROOT,
                        "%s, %,d segments (%s meters): %s %,.0f events/s, raw JDBC %,.0f rows/s, ratio %.0f %%%s%n",
                        name, entities, entities % 6 == 0 ? String.format(Locale.ROOT, "%,d", entities / 6) : "-", r.getKey(), plugin, raw, 100 * plugin / raw,
                        r.getValue().size() > 1 ? " (medians of " + r.getValue().size() + " rounds)" : "");
            }
        }
        storageReport(store, segments);
    }

    private static double median(List<Double> xs) {
        List<Double> sorted = new ArrayList<>(xs);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * One setting of a variant: {@code journal.<key>=v} goes to every segment journal plugin (like
     * {@code --journal}), {@code pool.<key>=v} to the shared pool's configuration, anything else is a full
     * configuration path.
     */
    private static Config withSetting(Config config, String setting, List<Part> segments) {
        String[] kv = setting.split("=", 2);
        if (kv[0].equals("url.replace")) {
            // url.replace=OLD/NEW: the shared pool's (and H2 housekeeping's) URL with OLD replaced by NEW
            String[] oldNew = kv[1].split("/", 2);
            String path = "pekko-persistence-jdbc.shared-databases." + JournalStore.SHARED_DATABASE + ".db.url";
            return config.withValue(path, ConfigValueFactory.fromAnyRef(config.getString(path).replace(oldNew[0], oldNew[1])));
        }
        Object value = kv[1].matches("-?[0-9]+") ? (Object) Long.parseLong(kv[1]) : kv[1];
        if (kv[0].startsWith("journal.")) {
            for (Part segment : segments) {
                config = config.withValue(Segment.journalPluginId(segment) + "." + kv[0].substring("journal.".length()),
                        ConfigValueFactory.fromAnyRef(value));
            }
            return config;
        }
        String path = kv[0].startsWith("pool.")
                ? "pekko-persistence-jdbc.shared-databases." + JournalStore.SHARED_DATABASE + "." + kv[0].substring("pool.".length())
                : kv[0];
        return config.withValue(path, ConfigValueFactory.fromAnyRef(value));
    }

    /** Confirmed events per second with {@code entities} segments each writing after its last confirmation. */
    private double pluginRun(JournalStore store, List<Part> segments, int entities, List<String> variant)
            throws Exception {
        // The default dispatcher as the actors module sets it for every hasm process (its reference.conf): one
        // thread per core instead of Pekko's three per core, at least eight.
        Config config = store.applyTo(ConfigFactory.parseString(
                "pekko.actor.default-dispatcher.fork-join-executor { parallelism-min = 2, parallelism-factor = 1.0 }")
                .withFallback(ConfigFactory.load()));
        for (String setting : journalSettings) {
            config = withSetting(config, "journal." + setting, segments);
        }
        for (String setting : variant) {
            config = withSetting(config, setting, segments);
        }
        ActorTestKit kit = ActorTestKit.create("bench", config);
        try {
            LongAdder confirmed = new LongAdder();
            AtomicLong outstanding = new AtomicLong();
            AtomicBoolean writing = new AtomicBoolean(true);
            CompletableFuture<Void> drained = new CompletableFuture<>();
            CountDownLatch recovered = new CountDownLatch(entities);
            AtomicLong failures = new AtomicLong();
            String run = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
            List<ActorRef<SegmentCommand>> ports = new ArrayList<>(entities);
            int inFlight = integer("in-flight");
            for (int i = 0; i < entities; i++) {
                Part segment = segments.get(i % segments.size());
                AtomicLong next = new AtomicLong(inFlight); // entries 1..inFlight are sent at the start
                AtomicReference<ActorRef<SegmentCommand>> self = new AtomicReference<>();
                ActorRef<SegmentCommand> port = kit.spawn(SegmentPort.create(segment, run + i, m -> {
                    if (m instanceof Persisted p) {
                        confirmed.increment();
                        if (writing.get()) {
                            self.get().tell(write(segment, next.incrementAndGet()));
                        } else if (outstanding.decrementAndGet() == 0) {
                            drained.complete(null);
                        }
                    } else if (m instanceof SegmentContents) {
                        recovered.countDown();
                    } else {
                        failures.incrementAndGet();
                    }
                }));
                self.set(port);
                port.tell(new PortWiring(m -> port.tell((SegmentCommand) m)));
                ports.add(port);
            }
            ports.forEach(p -> p.tell(new ReadSegment(0)));
            if (!recovered.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("segments did not recover: " + recovered.getCount() + " left");
            }
            for (int i = 0; i < entities; i++) {
                for (int n = 1; n <= inFlight; n++) {
                    ports.get(i).tell(write(segments.get(i % segments.size()), n));
                }
            }
            Thread.sleep(Duration.ofSeconds(integer("warmup")).toMillis());
            long start = System.nanoTime();
            long before = confirmed.sum();
            Thread.sleep(Duration.ofSeconds(integer("seconds")).toMillis());
            long events = confirmed.sum() - before;
            double seconds = (System.nanoTime() - start) / 1e9;
            outstanding.set((long) entities * inFlight);
            writing.set(false);
            // every entity has exactly inFlight writes unconfirmed; it ends with them
            drained.get(120, TimeUnit.SECONDS);
            if (failures.get() > 0) {
                throw new IllegalStateException(failures.get() + " unexpected answers");
            }
            return events / seconds;
        } finally {
            kit.shutdownTestKit();
        }
    }

    private static SegmentCommand write(Part segment, long n) {
        String value = "reading " + n + " 000123.456 kWh";
        switch (segment) {
            case Tariffs:
                return new StoreTariffs(n, "tariff", value, n);
            case CreditStore:
                return new StoreCredit(n, "credit", value, n);
            case OperationalParameters:
                return new StoreParameters(n, "interval", value, n);
            default:
                return new AppendEntry(n, "reading", value, n);
        }
    }

    /** One real row of a journal, to insert its like in the raw run. */
    private record Row(byte[] payload, int serId, String serManifest, String writer, String adapterManifest) {
    }

    private static Row sampleRow(JournalStore store, Part segment) throws SQLException {
        try (Connection c = store.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT \"event_payload\", \"event_ser_id\", \"event_ser_manifest\", "
                        + "\"writer\", \"adapter_manifest\" FROM "
                        + store.qualified(segment, JournalStore.journalTable(segment))
                        + " ORDER BY \"ordering\" DESC LIMIT 1")) {
            if (!r.next()) {
                throw new IllegalStateException("no journal row to copy");
            }
            return new Row(r.getBytes(1), r.getInt(2), r.getString(3), r.getString(4), r.getString(5));
        }
    }

    /** Rows per second of batched inserts of the same rows into a table of the same layout. */
    private int rawRuns;

    private double rawRun(JournalStore store, Row row, int entities) throws Exception {
        String ids = "raw" + (++rawRuns == 1 ? "" : String.valueOf(rawRuns)) + "|"; // a table per size, new ids per run
        String schema = store.dialect() == JournalStore.Dialect.POSTGRES ? "bench" : "";
        String prefix = "bench_raw_" + entities;
        try (Connection c = store.connect(); Statement s = c.createStatement()) {
            for (String sql : SchemaCreator.statements(store.dialect(), schema, prefix)) {
                s.execute(sql);
            }
        }
        String table = store.dialect() == JournalStore.Dialect.POSTGRES ? schema + "." + prefix + "_journal"
                : "PUBLIC.\"" + prefix + "_journal\"";
        String insert = "INSERT INTO " + table + " (\"deleted\", \"persistence_id\", \"sequence_number\", \"writer\", "
                + "\"write_timestamp\", \"adapter_manifest\", \"event_payload\", \"event_ser_id\", \"event_ser_manifest\", "
                + "\"meta_payload\", \"meta_ser_id\", \"meta_ser_manifest\") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        int threads = integer("raw-threads");
        int batch = integer("raw-batch");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean measuring = new AtomicBoolean(false);
        LongAdder rows = new LongAdder();
        List<Thread> workers = new ArrayList<>();
        List<Exception> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                try (Connection c = store.connect(); PreparedStatement p = c.prepareStatement(insert)) {
                    c.setAutoCommit(false);
                    int mine = Math.max(1, (entities - thread + threads - 1) / threads);
                    long[] seq = new long[mine];
                    int next = 0;
                    while (running.get()) {
                        for (int i = 0; i < batch; i++) {
                            int local = next++ % mine;
                            p.setBoolean(1, false);
                            p.setString(2, ids + (thread + (long) local * threads));
                            p.setLong(3, ++seq[local]);
                            p.setString(4, row.writer());
                            p.setLong(5, System.currentTimeMillis());
                            p.setString(6, row.adapterManifest());
                            p.setBytes(7, row.payload());
                            p.setInt(8, row.serId());
                            p.setString(9, row.serManifest());
                            p.setNull(10, java.sql.Types.VARBINARY);
                            p.setNull(11, java.sql.Types.INTEGER);
                            p.setNull(12, java.sql.Types.VARCHAR);
                            p.addBatch();
                        }
                        p.executeBatch();
                        c.commit();
                        if (measuring.get()) {
                            rows.add(batch);
                        }
                    }
                } catch (Exception e) {
                    errors.add(e);
                }
            }, "raw-insert-" + t);
            worker.start();
            workers.add(worker);
        }
        Thread.sleep(Duration.ofSeconds(integer("warmup")).toMillis());
        long start = System.nanoTime();
        measuring.set(true);
        Thread.sleep(Duration.ofSeconds(integer("seconds")).toMillis());
        measuring.set(false);
        double seconds = (System.nanoTime() - start) / 1e9;
        long counted = rows.sum();
        running.set(false);
        for (Thread w : workers) {
            w.join();
        }
        if (!errors.isEmpty()) {
            throw errors.get(0);
        }
        return counted / seconds;
    }

    /** Bytes the database uses per stored event, tables and indexes together. */
    private static void storageReport(JournalStore store, List<Part> segments) throws SQLException {
        try (Connection c = store.connect(); Statement s = c.createStatement()) {
            long payload = 0;
            long rows = 0;
            long bytes = 0;
            for (Part segment : segments) {
                String table = store.qualified(segment, JournalStore.journalTable(segment));
                try (ResultSet r = s.executeQuery("SELECT COUNT(*), COALESCE(SUM(OCTET_LENGTH(\"event_payload\")), 0) FROM " + table)) {
                    r.next();
                    rows += r.getLong(1);
                    payload += r.getLong(2);
                }
                String size = store.dialect() == JournalStore.Dialect.POSTGRES
                        ? "SELECT pg_total_relation_size('" + table + "')"
                        : "SELECT DISK_SPACE_USED('" + table + "')";
                try (ResultSet r = s.executeQuery(size)) {
                    r.next();
                    bytes += r.getLong(1);
                }
            }
            System.out.printf(Locale.ROOT,
                    "storage: %,d events in the journals, payload %.0f bytes/event (CBOR), stored %.0f bytes/event"
                            + " (table + indexes)%n", rows, (double) payload / rows, (double) bytes / rows);
            if (store.dialect() == JournalStore.Dialect.H2) {
                Path file = store.dataDir().resolve(JournalStore.H2_DATABASE_NAME + ".mv.db");
                long total = 0;
                try (ResultSet r = s.executeQuery("SELECT SUM(ROW_COUNT_ESTIMATE) FROM INFORMATION_SCHEMA.TABLES"
                        + " WHERE TABLE_SCHEMA = 'PUBLIC'")) {
                    r.next();
                    total = r.getLong(1);
                }
                try {
                    System.out.printf(Locale.ROOT,
                            "H2 file %s: %,d bytes for ~%,d rows in all tables (raw ones included): %.0f bytes/row%n",
                            file.getFileName(), Files.size(file), total, (double) Files.size(file) / total);
                } catch (java.io.IOException e) {
                    System.out.println("H2 file size unknown: " + e.getMessage());
                }
            }
        }
    }
}
