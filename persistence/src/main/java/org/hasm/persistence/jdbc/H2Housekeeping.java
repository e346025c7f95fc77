package org.hasm.persistence.jdbc;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;
import org.apache.pekko.event.Logging;
import org.apache.pekko.event.LoggingAdapter;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * Compacts the H2 journal file while the actor system runs. {@link JournalStore#h2} sets
 * {@code WRITE_DELAY=0} so that every commit is in the file before the journal confirms it; H2 then runs
 * no background writer, and with it none of its housekeeping: every commit leaves a new chunk of
 * copy-on-write pages, most of them soon dead, and the file grows without bound (measured: 16 GB for 3M
 * events written in commits of 20 rows). This extension does that housekeeping: every
 * {@link #INTERVAL} it asks H2's store to rewrite the live pages of chunks that are mostly dead, so their
 * space can be reused once H2's retention time (45 s) has passed.
 *
 * <p>What it cannot do while the journals write: H2 frees a dead chunk, and rewrites a chunk, only once the
 * chunk is older than H2's retention time (45 s), so a run leaves a file mostly of dead chunks. When no
 * actor system uses the database any more, {@link #compactFile(JournalStore)} compacts it in full
 * ({@code hasm simulate} does, at its end): measured on the default run, ~410 MB to 22 MB in 0.6-1.8 s.
 *
 * <p>{@link JournalStore#config()} lists it in {@code pekko.extensions} for H2 stores, so it starts and stops
 * with the actor system. It holds one connection of its own to the embedded database and reaches the
 * store through H2's engine classes (the H2 version is pinned); if they are not what it expects, it logs
 * one warning and does nothing.
 */
public final class H2Housekeeping extends AbstractExtensionId<H2Housekeeping.Running> implements ExtensionIdProvider {
    /** How often the store is compacted. */
    static final Duration INTERVAL = Duration.ofMillis(250);
    /** Chunks whose live share is below this (percent) are rewritten. */
    static final int TARGET_FILL_RATE = 50;
    /** The most bytes of live pages rewritten per round. */
    static final int WRITE_LIMIT = 16 * 1024 * 1024;

    /** The id; {@code pekko.extensions} creates another instance and asks it for this one ({@link #lookup()}). */
    public static final H2Housekeeping INSTANCE = new H2Housekeeping();

    @Override
    public H2Housekeeping lookup() {
        return INSTANCE;
    }

    @Override
    public Running createExtension(ExtendedActorSystem system) {
        Config db = system.settings().config()
                .getConfig("pekko-persistence-jdbc.shared-databases." + JournalStore.SHARED_DATABASE + ".db");
        Running running = new Running(db.getString("url"), db.getString("user"), db.getString("password"),
                Logging.getLogger(system, H2Housekeeping.class));
        system.registerOnTermination(running::stop);
        return running;
    }

    /** What {@link #compactFile} did. */
    public record Compacted(long bytesBefore, long bytesAfter, Duration took) {
    }

    /**
     * Compacts the H2 file of {@code store} in full, for when no actor system uses it any more (e.g. after
     * {@code hasm simulate}): H2's {@code SHUTDOWN COMPACT} copies the live pages into a new, compressed
     * file and swaps it in atomically; a process killed meanwhile leaves the old file, which H2 cleans up
     * at the next open. Takes time in proportion to the live data (the default simulate run: ~410 MB to
     * 22 MB in 0.6-1.8 s), which is why the actor system's own shutdown does not do it. Empty for
     * PostgreSQL, when there is no file, or when another connection (an actor system of this JVM) still
     * has the database open: a shutdown would close it under that one.
     */
    public static Optional<Compacted> compactFile(JournalStore store) {
        if (store.dialect() != JournalStore.Dialect.H2) {
            return Optional.empty();
        }
        Path file = store.dataDir().resolve(JournalStore.H2_DATABASE_NAME + ".mv.db");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            long before = Files.size(file);
            long start = System.nanoTime();
            try (Connection c = store.connect(); Statement s = c.createStatement()) {
                try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
                    if (!r.next() || r.getLong(1) != 1) {
                        return Optional.empty();
                    }
                }
                s.execute("SHUTDOWN COMPACT");
            }
            return Optional.of(new Compacted(before, Files.size(file), Duration.ofNanos(System.nanoTime() - start)));
        } catch (SQLException e) {
            throw DatabaseErrors.explain(store, e);
        } catch (IOException e) {
            throw new StorageException("cannot compact " + file + ": " + e.getMessage(), e);
        }
    }

    /** The housekeeping of one actor system. */
    public static final class Running implements Extension {
        private final AtomicLong rounds = new AtomicLong();
        private final Connection connection;
        private final Thread thread;
        private final LoggingAdapter log;
        /**
         * Stops the loop. Never Thread.interrupt: an interrupt that lands while H2 writes closes its
         * FileChannel (ClosedByInterruptException) and leaves the file corrupted, as a test run showed.
         */
        private final CountDownLatch stopping = new CountDownLatch(1);

        Running(String url, String user, String password, LoggingAdapter log) {
            this.log = log;
            Connection c = null;
            MVStore store = null;
            try {
                c = DriverManager.getConnection(url, user, password);
                store = ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore()
                        .getMvStore();
            } catch (SQLException | RuntimeException | LinkageError e) {
                log.warning("H2 housekeeping is off, the journal file will grow: {}", e.toString());
                close(c, log);
                c = null;
            }
            connection = c;
            if (store == null) {
                thread = null;
                return;
            }
            MVStore mv = store;
            thread = new Thread(() -> loop(mv), "hasm-h2-housekeeping");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop(MVStore store) {
            try {
                while (!stopping.await(INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
                    if (store.isClosed()) {
                        return;
                    }
                    store.compact(TARGET_FILL_RATE, WRITE_LIMIT);
                    rounds.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warning("H2 housekeeping stopped: {}", e.toString());
            }
        }

        /** Compaction rounds done so far; 0 forever when housekeeping is off. */
        public long rounds() {
            return rounds.get();
        }

        public boolean active() {
            return thread != null && thread.isAlive();
        }

        void stop() {
            if (thread != null) {
                stopping.countDown();
                try {
                    thread.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            close(connection, log);
        }

        private static void close(Connection c, LoggingAdapter log) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException e) {
                    log.debug("closing the housekeeping connection: {}", e.toString());
                }
            }
        }
    }
}
