package org.hasm.persistence.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.hasm.persistence.JournalHealth;

/** Databases for tests and benchmarks. */
public final class TestDatabases {
    /** Owner of the test database; not a superuser, as in production. */
    public static final String USER = "hasm";
    public static final String PASSWORD = "s3cret-for-tests";

    private TestDatabases() {
    }

    /**
     * A real PostgreSQL (io.zonky's embedded binaries, from Maven Central) as production would run one:
     * fsync and synchronous commit on (zonky turns both off by default), passwords checked over TCP, and
     * a database {@value #USER} owned by the non-superuser {@value #USER}. Zonky runs initdb and postgres
     * under {@code unshare -U} when the JVM runs as root, so this works in CI as root too.
     */
    public static EmbeddedPostgres startPostgres() throws IOException {
        return startPostgres(Map.of(), null);
    }

    /**
     * As {@link #startPostgres()}, with more server settings (they cannot turn durability off: fsync,
     * synchronous commit and full-page writes stay on) and, unless {@code log} is null, the server's own log
     * sent there instead of to a logger.
     */
    public static EmbeddedPostgres startPostgres(Map<String, String> settings, ProcessBuilder.Redirect log)
            throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        settings.forEach(builder::setServerConfig);
        if (log != null) {
            builder.setOutputRedirector(log).setErrorRedirector(log);
        }
        EmbeddedPostgres pg = builder
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setDataDirectoryCustomizer(dataDir -> {
                    try {
                        Files.writeString(dataDir.toPath().resolve("pg_hba.conf"), String.join("\n",
                                "local all all trust",
                                "host all postgres 127.0.0.1/32 trust",
                                "host all postgres ::1/128 trust",
                                "host all all 127.0.0.1/32 scram-sha-256",
                                "host all all ::1/128 scram-sha-256", ""));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            s.execute("CREATE DATABASE " + USER + " OWNER " + USER);
        } catch (SQLException e) {
            pg.close();
            throw new IllegalStateException("cannot prepare the embedded PostgreSQL", e);
        }
        return pg;
    }

    /** The JDBC URL of the test database, without options. */
    public static String url(EmbeddedPostgres pg) {
        return "jdbc:postgresql://localhost:" + pg.getPort() + "/" + USER;
    }

    public static JournalStore postgresStore(EmbeddedPostgres pg) {
        return JournalStore.postgres(url(pg), USER, PASSWORD);
    }

    /**
     * Waits until a segment journal of {@code system} has reported the database gone. An outage test keeps
     * the database away until then: a blip shorter than the pool's connection timeout is only a slow write.
     */
    public static void awaitOutageNoticed(ActorSystem<?> system, Duration max) {
        JournalHealth health = JournalHealth.get(system);
        TestProbe.create(system).awaitAssert(max, () -> {
            if (health.failing() == 0) {
                throw new AssertionError("no segment journal has reported the outage");
            }
            return null;
        });
    }

    public static void deleteRecursively(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
