package org.hasm.actors.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.ConfigFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.central.Provisioning;
import org.hasm.actors.crypto.AggregationScheme;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.crypto.SimulationRandomness;
import org.hasm.actors.crypto.ZeroSumMasking;
import org.hasm.actors.meter.MeterSignals.EnergySample;
import org.hasm.actors.meter.MeterSignals.FrameFromCentralSystem;
import org.hasm.actors.meter.MeterSignals.TimeSignal;
import org.hasm.actors.meter.MeterSignals.TopUpTokenFrame;
import org.hasm.actors.sim.LoadProfile;
import org.hasm.persistence.ChainVerifier;
import org.hasm.persistence.EntryHash;
import org.hasm.persistence.Segment;
import org.hasm.persistence.SegmentMessages.Persisted;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.SchemaCreator;
import org.hasm.persistence.jdbc.TestDatabases;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.DropCounter;
import org.hasm.policy.kernel.Envelope;
import org.hasm.policy.kernel.PolicyMessage;
import org.hasm.policy.verify.RuleAttribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Whole meters on PostgreSQL survive kill -9: a child JVM runs {@value #METERS} meters that write
 * readings, credit debits, top-ups, commands and refusals as fast as the journal takes them, and prints
 * every confirmation that reaches a segment's owner module. After {@value #KILL_AFTER} confirmations,
 * with writes still in flight, the parent kills it with SIGKILL. On the same database then: every
 * confirmed entry is in the journal with the hash it was confirmed with, every segment chain of every
 * meter verifies, and a second child JVM running the same meters recovers them and goes on metering,
 * its entries numbered on from the recovered ones and chained onto the recovered heads.
 *
 * <p>The database runs as in production: fsync and synchronous commit on (zonky's defaults are off).
 * Only the meters' process dies here; PostgreSQL itself keeps running.
 */
class MeterCrashTest {
    static final int METERS = 200;
    /** Confirmations the parent waits for before it kills the child. */
    static final int KILL_AFTER = 5_000;
    /** Intervals the restarted meters measure. */
    static final int RESUMED_INTERVALS = 3;
    /** Readings in flight per meter: the writer never waits for the journal to be idle. */
    static final int IN_FLIGHT_PER_METER = 2;
    static final long SEED = 20_260_101L;
    /** The longest the parent waits for the next line from a child, and the child for its last readings. */
    static final Duration QUIET = Duration.ofSeconds(90);
    /** A confirmation line: {@code C <persistence id> <sequence number> <hex of the entry's hash>}. */
    static final String CONFIRMED = "C";
    static final String DONE = "DONE";
    /** The tariff the meters are provisioned with. */
    static final Tariff TARIFF = Tariff.timeOfUse(15_000, 35_000, 17, 21);

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void confirmedEntriesSurviveSigkillEveryChainVerifiesAndMeteringResumes() throws Exception {
        long started = System.nanoTime();
        EmbeddedPostgres postgres = TestDatabases.startPostgres();
        RunningChild first = null;
        RunningChild second = null;
        ActorTestKit kit = null;
        try {
            String url = TestDatabases.url(postgres);
            JournalStore store = TestDatabases.postgresStore(postgres);
            SchemaCreator.create(store);
            System.out.printf("MeterCrashTest: PostgreSQL ready after %.1f s%n", (System.nanoTime() - started) / 1e9);

            // 1. Meters write heavily; SIGKILL once enough writes have been confirmed.
            first = RunningChild.start(url, "write", MeterHarness.T0, 0);
            Map<String, Map<Long, String>> confirmed = new HashMap<>();
            int beforeKill = 0;
            while (beforeKill < KILL_AFTER) {
                String line = first.next();
                if (line == null) {
                    fail("the writing child ended before it was killed:\n" + first.tail());
                }
                if (record(line, confirmed)) {
                    beforeKill++;
                }
            }
            assertTrue(backends(postgres, "write") > 0, "the child's connections are not named; awaitBackendsGone would not wait");
            long killedAt = System.nanoTime();
            // SIGKILL: no shutdown hooks, no flushing. Through the handle, which unlike Process.destroyForcibly()
            // leaves the pipe open, so that every line the child wrote before it died can still be read.
            assertTrue(first.process.toHandle().destroyForcibly());
            assertEquals(137, first.process.waitFor(), "exit status of a process killed by SIGKILL (128 + 9)");
            assertFalse(first.process.isAlive());
            awaitBackendsGone(postgres, "write");
            // Lines the child wrote before it died are confirmations as well; a torn last line is not recorded.
            int total = beforeKill;
            for (String line = first.next(); line != null; line = first.next()) {
                if (record(line, confirmed)) {
                    total++;
                }
            }
            System.out.printf("MeterCrashTest: killed %.1f s after the start, %d confirmations seen when the kill was sent,"
                    + " %d in all; per segment: %s%n", (killedAt - started) / 1e9, beforeKill, total, perSegment(confirmed));

            // 2. The journal after the crash: every confirmed entry, with its hash; every chain intact.
            kit = ActorTestKit.create("after-crash", store.applyTo(ConfigFactory.load()));
            Map<String, List<Segment.Entry>> atCrash = readJournals(kit);
            long entriesAtCrash = atCrash.values().stream().mapToLong(List::size).sum();
            System.out.printf("MeterCrashTest: %d entries in the journal after the crash, read and verified by %.1f s%n",
                    entriesAtCrash, (System.nanoTime() - started) / 1e9);
            assertNoProblems("after the crash", chainProblems(atCrash));
            assertNoProblems("confirmed before the crash", missing(confirmed, atCrash));
            assertTrue(entriesAtCrash >= total, "fewer entries in the journal than were confirmed");

            // 3. The same meters in a new process: they recover and go on metering.
            long resumeAt = atCrash.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(Segment.journalName(Part.MetrologyLog) + "|"))
                    .flatMap(e -> e.getValue().stream())
                    .mapToLong(Segment.Entry::time).max().orElseThrow();
            second = RunningChild.start(url, "resume", resumeAt, RESUMED_INTERVALS);
            Map<String, Map<Long, String>> resumed = new HashMap<>();
            boolean done = false;
            for (String line = second.next(); line != null; line = second.next()) {
                record(line, resumed);
                done |= line.equals(DONE);
            }
            assertEquals(0, second.process.waitFor(), second::tail);
            assertTrue(done, second::tail);
            awaitBackendsGone(postgres, "resume");

            Map<String, List<Segment.Entry>> after = readJournals(kit);
            assertNoProblems("after the restart", chainProblems(after));
            assertNoProblems("confirmed before the crash, after the restart", missing(confirmed, after));
            assertNoProblems("confirmed after the restart", missing(resumed, after));
            assertNoProblems("resumed metering", resumedMetering(atCrash, after, resumed, resumeAt));
            long entriesAfter = after.values().stream().mapToLong(List::size).sum();
            System.out.printf("MeterCrashTest: %d confirmations after the restart, %d entries in the end, %.1f s%n",
                    resumed.values().stream().mapToInt(Map::size).sum(), entriesAfter, (System.nanoTime() - started) / 1e9);
        } finally {
            if (first != null) {
                first.stop();
            }
            if (second != null) {
                second.stop();
            }
            if (kit != null) {
                kit.shutdownTestKit();
            }
            postgres.close();
        }
    }

    /**
     * What the restarted meters wrote, against what they recovered: the recovered entries unchanged; every
     * segment written to numbered on from its recovered head; each meter's readings of every resumed
     * interval chained onto its recovered metrology-log head; and each meter debiting its recovered credit
     * at its recovered tariff, so the state metering goes on with is the state that was in the journal.
     */
    static List<String> resumedMetering(Map<String, List<Segment.Entry>> atCrash, Map<String, List<Segment.Entry>> after,
                                        Map<String, Map<Long, String>> resumed, long resumeAt) {
        List<String> problems = new ArrayList<>();
        atCrash.forEach((pid, before) -> {
            List<Segment.Entry> now = after.getOrDefault(pid, List.of());
            for (int i = 0; i < before.size(); i++) {
                if (i >= now.size() || !Arrays.equals(before.get(i).hash(), now.get(i).hash())) {
                    problems.add(pid + " entry " + (i + 1) + " changed or vanished after the restart");
                    break;
                }
            }
        });
        resumed.forEach((pid, seqs) -> {
            int recovered = atCrash.getOrDefault(pid, List.of()).size();
            long lowest = seqs.keySet().stream().mapToLong(Long::longValue).min().orElseThrow();
            if (lowest != recovered + 1) {
                problems.add(pid + ": the first entry confirmed after the restart is entry " + lowest + ", but "
                        + recovered + " entries had been recovered");
            }
        });
        long debits = 0;
        for (int i = 0; i < METERS; i++) {
            String id = meterId(i);
            List<Segment.Entry> readingsBefore = entries(atCrash, Part.MetrologyLog, id);
            List<Segment.Entry> readingsAfter = entries(after, Part.MetrologyLog, id);
            int recovered = readingsBefore.size();
            Set<Long> confirmedNow = resumed.getOrDefault(Segment.persistenceId(Part.MetrologyLog, id).id(), Map.of()).keySet();
            Set<Long> expected = new TreeSet<>();
            for (long seq = recovered + 1; seq <= recovered + RESUMED_INTERVALS; seq++) {
                expected.add(seq);
            }
            if (readingsAfter.size() != recovered + RESUMED_INTERVALS || !confirmedNow.equals(expected)) {
                problems.add(id + ": " + recovered + " metrology-log entries recovered, " + readingsAfter.size() + " after "
                        + RESUMED_INTERVALS + " more intervals, entries confirmed after the restart: " + confirmedNow);
                continue;
            }
            List<Segment.Entry> newReadings = readingsAfter.subList(recovered, readingsAfter.size());
            byte[] recoveredHead = recovered == 0 ? EntryHash.genesis() : readingsBefore.get(recovered - 1).hash();
            if (!Arrays.equals(recoveredHead, newReadings.get(0).previousHash())) {
                problems.add(id + ": the first reading after the restart does not chain onto the recovered head");
            }

            long credit = lastValue(entries(atCrash, Part.CreditStore, id), CreditBalance.CREDIT).map(Long::parseLong).orElse(0L);
            Tariff tariff = lastValue(entries(atCrash, Part.Tariffs, id), Computations.TARIFF_KEY).map(Tariff::decode).orElse(TARIFF);
            List<Long> expectedCredit = new ArrayList<>();
            for (Segment.Entry reading : newReadings) {
                // a reading in the MetrologyLog exactly as Computations writes it, nothing more
                Optional<MetrologyLogEntry.Reading> r = MetrologyLogEntry.Reading.parse(reading.value())
                        .filter(parsed -> parsed.text().equals(reading.value()));
                if (!reading.kind().equals(MetrologyLogEntry.READING) || r.isEmpty() || reading.time() <= resumeAt) {
                    problems.add(id + ": entry " + reading.seq() + " is not a reading after the restart: " + reading.kind()
                            + " " + reading.value() + " at " + reading.time());
                    break;
                }
                long cost = tariff.cost(r.get().intervalStart(), r.get().importWh());
                if (cost != 0) {
                    credit -= cost;
                    expectedCredit.add(credit);
                }
            }
            List<Segment.Entry> creditBefore = entries(atCrash, Part.CreditStore, id);
            List<Segment.Entry> creditAfter = entries(after, Part.CreditStore, id);
            List<Long> debited = creditAfter.subList(creditBefore.size(), creditAfter.size()).stream()
                    .map(e -> e.key().equals("credit") ? Long.parseLong(e.value()) : null).toList();
            // The debits of the last readings may not have landed before the child shut down.
            if (debited.size() > expectedCredit.size() || !expectedCredit.subList(0, debited.size()).equals(debited)) {
                problems.add(id + ": credit after the restart " + debited + ", expected " + expectedCredit
                        + " from the recovered credit and tariff");
            }
            debits += debited.size();
        }
        if (debits == 0) {
            problems.add("no meter debited its credit after the restart");
        }
        return problems;
    }

    static List<Segment.Entry> entries(Map<String, List<Segment.Entry>> journals, Part segment, String meterId) {
        return journals.getOrDefault(Segment.persistenceId(segment, meterId).id(), List.of());
    }

    /** The value a value segment holds for {@code key}: its last entry for the key. */
    static Optional<String> lastValue(List<Segment.Entry> entries, String key) {
        String value = null;
        for (Segment.Entry e : entries) {
            if (e.key().equals(key)) {
                value = e.value();
            }
        }
        return Optional.ofNullable(value);
    }

    /** Confirmations per segment, for the test's report. */
    static Map<String, Integer> perSegment(Map<String, Map<Long, String>> confirmed) {
        Map<String, Integer> counts = new TreeMap<>();
        confirmed.forEach((pid, seqs) -> counts.merge(pid.substring(0, pid.indexOf('|')), seqs.size(), Integer::sum));
        return counts;
    }

    static String meterId(int i) {
        return String.format("m%03d", i);
    }

    /** Records a confirmation line; false for any other line, including a line torn by the kill. */
    static boolean record(String line, Map<String, Map<Long, String>> into) {
        String[] f = line.split(" ");
        if (f.length != 4 || !f[0].equals(CONFIRMED) || !f[3].matches("[0-9a-f]{64}") || !f[2].matches("[1-9][0-9]{0,17}")) {
            return false;
        }
        String earlier = into.computeIfAbsent(f[1], pid -> new TreeMap<>()).putIfAbsent(Long.parseLong(f[2]), f[3]);
        if (earlier != null && !earlier.equals(f[3])) {
            fail(f[1] + " entry " + f[2] + " was confirmed twice with different hashes: " + earlier + " and " + f[3]);
        }
        return earlier == null;
    }

    /** Every segment of every meter, by persistence id, read back through the segments' read journals. */
    static Map<String, List<Segment.Entry>> readJournals(ActorTestKit kit) throws Exception {
        Map<String, CompletableFuture<List<EventEnvelope>>> reads = new TreeMap<>();
        for (Part segment : JournalStore.segments()) {
            JdbcReadJournal query = PersistenceQuery.get(Adapter.toClassic(kit.system()))
                    .getReadJournalFor(JdbcReadJournal.class, JournalStore.queryPluginId(segment));
            for (int i = 0; i < METERS; i++) {
                String pid = Segment.persistenceId(segment, meterId(i)).id();
                reads.put(pid, query.currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE)
                        .runWith(Sink.seq(), kit.system()).toCompletableFuture());
            }
        }
        CompletableFuture.allOf(reads.values().toArray(CompletableFuture[]::new)).get(QUIET.toSeconds(), TimeUnit.SECONDS);
        Map<String, List<Segment.Entry>> journals = new TreeMap<>();
        for (var read : reads.entrySet()) {
            List<Segment.Entry> entries = read.getValue().join().stream().map(e -> (Segment.Entry) e.event()).toList();
            if (!entries.isEmpty()) {
                journals.put(read.getKey(), entries);
            }
        }
        return journals;
    }

    /** The first problem of each segment chain that does not verify. */
    static List<String> chainProblems(Map<String, List<Segment.Entry>> journals) {
        List<String> problems = new ArrayList<>();
        journals.forEach((pid, entries) -> {
            String[] segmentAndMeter = pid.split("\\|", 2);
            ChainVerifier.Report report = ChainVerifier.verify(segmentAndMeter[1], segmentAndMeter[0], entries, List.of());
            if (!report.intact()) {
                problems.add(pid + ": " + report.firstProblem().get());
            }
        });
        return problems;
    }

    /** Confirmed entries that are not in the journal with the hash they were confirmed with. */
    static List<String> missing(Map<String, Map<Long, String>> confirmed, Map<String, List<Segment.Entry>> journals) {
        List<String> problems = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        confirmed.forEach((pid, seqs) -> {
            Map<Long, Segment.Entry> bySeq = journals.getOrDefault(pid, List.of()).stream()
                    .collect(Collectors.toMap(Segment.Entry::seq, e -> e));
            seqs.forEach((seq, hash) -> {
                Segment.Entry e = bySeq.get(seq);
                if (e == null) {
                    problems.add(pid + " entry " + seq + " was confirmed but is not in the journal (" + bySeq.size() + " entries)");
                } else if (!hex.formatHex(e.hash()).equals(hash)) {
                    problems.add(pid + " entry " + seq + " was confirmed with hash " + hash + " but has " + hex.formatHex(e.hash()));
                }
            });
        });
        return problems;
    }

    static void assertNoProblems(String when, List<String> problems) {
        assertTrue(problems.isEmpty(), () -> problems.size() + " problems " + when + ", the first ones:\n"
                + problems.stream().limit(20).collect(Collectors.joining("\n")));
    }

    /**
     * Waits until PostgreSQL is done with a child that has gone: a backend that was running a statement
     * when its client died finishes it (a commit may still land) before it notices. Its backends are
     * told to end and awaited, so that what is read next is the journal as the child left it.
     */
    static void awaitBackendsGone(EmbeddedPostgres pg, String mode) throws SQLException {
        String ofChild = "FROM pg_stat_activity WHERE application_name = '" + applicationName(mode) + "'";
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid, " + QUIET.toMillis() + ") " + ofChild);
        }
        assertEquals(0, backends(pg, mode), "backends of the " + mode + " child still running");
    }

    static int backends(EmbeddedPostgres pg, String mode) throws SQLException {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                     + applicationName(mode) + "'")) {
            r.next();
            return r.getInt(1);
        }
    }

    /** Names the child's connections in pg_stat_activity. */
    static String applicationName(String mode) {
        return "hasm-crash-test-" + mode;
    }

    /** A child JVM on the test classpath, its output read line by line on a thread of its own. */
    static final class RunningChild {
        private static final String EOF = "\u0000eof";
        final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Deque<String> other = new ArrayDeque<>();
        private boolean ended;

        private RunningChild(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("reading the child's output failed: " + e);
                } finally {
                    lines.add(EOF);
                }
            }, "child-output-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        /** The credentials go by environment, as the command line takes them. */
        static RunningChild start(String url, String mode, long start, int intervals) throws IOException {
            // C1 only and the serial collector: the child lives for seconds on a small shared machine, where
            // this halved the time to assemble its meters (13-16 s to 6-7 s at a load of 17 on 2 cores).
            ProcessBuilder builder = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Child.class.getName(),
                    url + "?ApplicationName=" + applicationName(mode), mode, Long.toString(start), Integer.toString(intervals))
                    .redirectErrorStream(true);
            builder.environment().put(JournalStore.ENV_USER, TestDatabases.USER);
            builder.environment().put(JournalStore.ENV_PASSWORD, TestDatabases.PASSWORD);
            return new RunningChild(builder.start());
        }

        /** The next line, or null once the child's output has ended; fails if the child is silent for too long. */
        String next() throws InterruptedException {
            if (ended) {
                return null;
            }
            String line = lines.poll(QUIET.toSeconds(), TimeUnit.SECONDS);
            if (line == null) {
                fail("no output from the child for " + QUIET.toSeconds() + " s:\n" + tail());
            }
            if (line.equals(EOF)) {
                ended = true;
                return null;
            }
            if (!line.startsWith(CONFIRMED + " ")) {
                System.out.println("MeterCrashTest child " + process.pid() + ": " + line);
                other.addLast(line);
                if (other.size() > 40) {
                    other.removeFirst();
                }
            }
            return line;
        }

        /** The child's last lines other than confirmations (its log, a stack trace). */
        String tail() {
            return String.join("\n", other);
        }

        void stop() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The meters' process: {@code <jdbc url> write|resume <start time> <intervals>}, credentials in
     * {@value JournalStore#ENV_USER} and {@value JournalStore#ENV_PASSWORD}. It prints one line per
     * confirmation an owner module receives from its segment. {@code write} installs the meters at the
     * start time, makes them prepaid and meters interval after interval with top-ups, commands and
     * refused frames mixed in, until it is killed. {@code resume} starts the same meters on the same
     * journals at the start time, meters {@code intervals} intervals, prints {@value #DONE} and exits.
     * It halts when its parent goes away (its standard input closes), so it is never left behind.
     */
    public static final class Child {
        private static final FlowPolicy POLICY = FlowPolicy.shipped();
        private static final long INTERVAL = MeterHarness.INTERVAL;

        public static void main(String[] args) {
            try {
                run(args);
            } catch (Throwable e) {
                e.printStackTrace(System.out);
                System.out.flush();
                Runtime.getRuntime().halt(1);
            }
        }

        private static void run(String[] args) throws Exception {
            String url = args[0];
            boolean writing = args[1].equals("write");
            long start = Long.parseLong(args[2]);
            int intervals = Integer.parseInt(args[3]);
            Thread watchdog = new Thread(() -> {
                try {
                    while (System.in.read() != -1) {
                        // the parent never writes; end of input means it is gone
                    }
                } catch (IOException ignored) {
                    // the same
                }
                Runtime.getRuntime().halt(3);
            }, "parent-watch");
            watchdog.setDaemon(true);
            watchdog.start();

            Printer out = new Printer();
            JournalStore store = JournalStore.fromEnvironment(url);
            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "meters", store.applyTo(ConfigFactory.load()));
            Semaphore inFlight = new Semaphore(METERS * IN_FLIGHT_PER_METER);
            CountDownLatch readings = new CountDownLatch(Math.max(0, METERS * intervals));
            HexFormat hex = HexFormat.of();

            SecureRandom keys = SimulationRandomness.seeded(SEED, "provisioning");
            Provisioning provisioning = new Provisioning("cs-1", keys);
            RuleAttribution attribution = new RuleAttribution(POLICY);
            DropCounter drops = new DropCounter();
            ActorRef<Envelope> outside = system.systemActorOf(Behaviors.<Envelope>ignore(), "outside", Props.empty());
            List<Meter.Handle> meters = new ArrayList<>();
            List<ProvisionedMeter> accounts = new ArrayList<>();
            List<LoadProfile> households = new ArrayList<>();
            AggregationScheme group = null;
            for (int i = 0; i < METERS; i++) {
                String id = meterId(i);
                if (i % 8 == 0) {
                    group = ZeroSumMasking.generateGroup(Math.min(8, Math.max(2, METERS - i)), keys);
                }
                ProvisionedMeter account = provisioning.provision(id);
                StandardMeterParts standard = new StandardMeterParts(id, start, MeterConfig.DEFAULT,
                        TARIFF, account.csSecurityKeys(), account.offSwitchSecurityKeys(),
                        group.meter((i % 8) % group.groupSize()), closed -> { }, view -> { });
                BiConsumer<String, Persisted> confirmed = (meter, p) -> {
                    out.println(CONFIRMED + " " + Segment.persistenceId(p.segment(), meter).id() + " " + p.sequenceNr()
                            + " " + hex.formatHex(p.head()));
                    if (p.segment() == Part.MetrologyLog) {
                        inFlight.release();
                        readings.countDown();
                    }
                };
                MeterParts parts = part -> isOwner(part)
                        ? observing(standard.behaviour(part), p -> confirmed.accept(id, p))
                        : standard.behaviour(part);
                meters.add(Meter.start(system, new Meter.Blueprint(id, POLICY, parts, Map.of(Part.DataConcentrator, outside,
                        Part.HanGateway, outside, Part.MaintenanceTechnician, outside), attribution, drops))
                        .toCompletableFuture().get(QUIET.toSeconds(), TimeUnit.SECONDS));
                accounts.add(account);
                households.add(new LoadProfile(SEED, i));
            }

            out.println("assembled " + METERS + " meters in " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
            for (Meter.Handle m : meters) {
                m.from(Part.Environment, Part.Clock).send(new TimeSignal(start));
            }
            if (writing) {
                for (int i = 0; i < METERS; i++) {
                    command(meters.get(i), accounts.get(i), CommandKind.SET_PAYMENT_MODE, "true", start);
                    topUp(meters.get(i), accounts.get(i), 2_000, start);
                }
            }
            for (int k = 0; intervals <= 0 || k < intervals; k++) {
                long from = start + k * INTERVAL;
                long end = from + INTERVAL;
                for (int i = 0; i < METERS; i++) {
                    inFlight.acquire(); // a reading's confirmation gives the permit back
                    Meter.Handle m = meters.get(i);
                    m.from(Part.Environment, Part.Metrology).send(new EnergySample(from + INTERVAL / 2,
                            households.get(i).energyWh(from, INTERVAL), 0));
                    m.from(Part.Environment, Part.Clock).send(new TimeSignal(end));
                    if (writing) {
                        switch ((k + i) % 16) {
                            case 0, 8 -> topUp(m, accounts.get(i), 500 + (i * 37 + k) % 1500, end);
                            case 4 -> m.from(Part.DataConcentrator, Part.Communications)
                                    .send(new FrameFromCentralSystem(("not a frame " + k).getBytes(StandardCharsets.UTF_8)));
                            case 12 -> command(m, accounts.get(i), CommandKind.SET_TARIFF,
                                    Tariff.timeOfUse(15_000 + k, 35_000, 17, 21).encode(), end);
                            default -> { }
                        }
                    }
                }
            }
            boolean all = readings.await(QUIET.toSeconds(), TimeUnit.SECONDS);
            out.println(all ? DONE : "only " + (METERS * intervals - readings.getCount()) + " of " + METERS * intervals
                    + " readings were confirmed");
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(QUIET.toSeconds(), TimeUnit.SECONDS);
            out.close();
            System.exit(all ? 0 : 1);
        }

        private static boolean isOwner(Part part) {
            return Part.ofKind(Part.Kind.SEGMENT).stream().anyMatch(s -> s.owner().orElseThrow() == part);
        }

        private static void command(Meter.Handle m, ProvisionedMeter account, CommandKind kind, String payload, long now) {
            m.from(Part.DataConcentrator, Part.Communications)
                    .send(new FrameFromCentralSystem(account.command(kind, payload, now / 1000)));
        }

        private static void topUp(Meter.Handle m, ProvisionedMeter account, long cents, long now) {
            m.from(Part.TopUpGateway, Part.Communications).send(new TopUpTokenFrame(account.topUpToken(cents, now / 1000)));
        }

        /** The owner module's behaviour, telling {@code seen} of each confirmation once the module has handled it. */
        static Behavior<PolicyMessage> observing(Behavior<PolicyMessage> owner, java.util.function.Consumer<Persisted> seen) {
            return Behaviors.intercept(() -> new BehaviorInterceptor<PolicyMessage, PolicyMessage>(PolicyMessage.class) {
                @Override
                public Behavior<PolicyMessage> aroundReceive(TypedActorContext<PolicyMessage> ctx, PolicyMessage msg,
                                                             ReceiveTarget<PolicyMessage> target) {
                    Behavior<PolicyMessage> next = target.apply(ctx, msg);
                    if (msg instanceof Persisted p) {
                        seen.accept(p);
                    }
                    return next;
                }
            }, owner);
        }
    }

    /** Writes lines on a thread of its own, so actors never block on the pipe; flushes whenever it has caught up. */
    static final class Printer {
        private static final String END = "\u0000end";
        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        private final Thread thread;

        Printer() {
            thread = new Thread(() -> {
                BufferedWriter w = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
                try {
                    while (true) {
                        String line = queue.take();
                        if (line.equals(END)) {
                            w.flush();
                            return;
                        }
                        w.write(line);
                        w.write('\n');
                        if (queue.isEmpty()) {
                            w.flush();
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    Runtime.getRuntime().halt(4);
                }
            }, "printer");
            thread.setDaemon(true);
            thread.start();
        }

        void println(String line) {
            queue.add(line);
        }

        void close() throws InterruptedException {
            queue.add(END);
            thread.join();
        }
    }
}
