package org.hasm.actors.sim.bench;

import com.typesafe.config.ConfigFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.sim.Neighbourhood;
import org.hasm.actors.sim.scenario.SimulationSettings;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.SchemaCreator;
import org.hasm.persistence.jdbc.TestDatabases;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.Part;

/**
 * Bytes stored per event, segment by segment, after a simulated day of real meters: rows, CBOR payload
 * per row, and what the database uses per row for the journal table with its indexes. On H2 and on
 * PostgreSQL 16 (embedded, fsync and synchronous commit on).
 *
 * <pre>./mvnw -q install -DskipTests && ./mvnw -q -pl actors test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=org.hasm.actors.sim.bench.SegmentFootprintBenchmark -Dexec.args="1000 1"</pre>
 */
public final class SegmentFootprintBenchmark {
    private SegmentFootprintBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int meters = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Path dir = Files.createTempDirectory("hasm-footprint-");
        try {
            run("H2 file", JournalStore.h2(dir), meters, days);
        } finally {
            TestDatabases.deleteRecursively(dir);
        }
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on").start()) {
            run("PostgreSQL 16", JournalStore.postgres(pg.getJdbcUrl("postgres", "postgres"), "postgres", ""), meters, days);
        }
        System.exit(0);
    }

    private static void run(String database, JournalStore store, int meters, int days) throws Exception {
        SchemaCreator.create(store);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "footprint", store.applyTo(Neighbourhood.actorSystemConfig(ConfigFactory.load())));
        try {
            Neighbourhood n = new Neighbourhood(system, new SimulationSettings(meters, days, 42, 0.2, 4, Duration.ofMinutes(15)),
                    FlowPolicy.shipped());
            n.assemble(i -> { });
            Neighbourhood.Result r = n.run((done, total, time, readings) -> { });
            System.out.printf(Locale.ROOT, "%s, %,d meters x %d day(s): %,d readings in %.1f s%n", database, meters, days,
                    r.readings(), r.elapsed().toMillis() / 1000.0);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get();
        }
        System.out.printf(Locale.ROOT, "| %-22s | %10s | %14s | %18s |%n", "segment", "rows", "payload B/row", "stored B/row");
        try (Connection c = store.connect(); Statement s = c.createStatement()) {
            for (Part segment : Part.ofKind(Part.Kind.SEGMENT)) {
                String table = store.qualified(segment, JournalStore.journalTable(segment));
                long rows;
                long payload;
                try (ResultSet q = s.executeQuery("SELECT COUNT(*), COALESCE(SUM(OCTET_LENGTH(\"event_payload\")), 0) FROM " + table)) {
                    q.next();
                    rows = q.getLong(1);
                    payload = q.getLong(2);
                }
                long bytes = size(s, store, table);
                System.out.printf(Locale.ROOT, "| %-22s | %,10d | %14.0f | %18.0f |%n", segment, rows,
                        rows == 0 ? 0.0 : (double) payload / rows, rows == 0 ? 0.0 : (double) bytes / rows);
            }
        }
    }

    private static long size(Statement s, JournalStore store, String table) throws SQLException {
        String sql = store.dialect() == JournalStore.Dialect.POSTGRES
                ? "SELECT pg_total_relation_size('" + table + "')"
                : "SELECT DISK_SPACE_USED('" + table + "')";
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
