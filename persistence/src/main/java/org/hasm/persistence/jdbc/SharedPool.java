package org.hasm.persistence.jdbc;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;

/**
 * The one HikariCP pool all plugins share ({@value JournalStore#SHARED_DATABASE}), as Slick's database
 * settings under {@code pekko-persistence-jdbc.shared-databases}.
 */
final class SharedPool {
    private SharedPool() {
    }

    /** The pool's settings: {@code connections} connections, each held by one Slick thread. */
    static Config config(JournalStore.Dialect dialect, String url, Credentials credentials, int connections) {
        String profile = dialect == JournalStore.Dialect.H2 ? "slick.jdbc.H2Profile$" : "slick.jdbc.PostgresProfile$";
        String driver = dialect == JournalStore.Dialect.H2 ? "org.h2.Driver" : "org.postgresql.Driver";
        return ConfigFactory.empty()
                .withValue("profile", value(profile))
                .withValue("db.url", value(url))
                .withValue("db.user", value(credentials.user()))
                .withValue("db.password", value(credentials.password()))
                .withValue("db.driver", value(driver))
                .withValue("db.connectionPool", value("HikariCP"))
                .withValue("db.poolName", value("hasm-journal"))
                .withValue("db.numThreads", value(connections))
                .withValue("db.maxConnections", value(connections))
                .withValue("db.minConnections", value(connections))
                // statements waiting for a thread: writes are at most 7 journals x PARALLELISM batches,
                // reads are bounded by pekko.persistence.max-concurrent-recoveries
                .withValue("db.queueSize", value(10_000))
                // Each Slick thread holds its own connection, so a statement waits for one only when the database
                // cannot be reached; after 10 s it fails, the journal backs off, and JournalHealth tells the user.
                .withValue("db.connectionTimeout", value(10_000))
                .withValue("db.validationTimeout", value(5_000))
                .withValue("db.idleTimeout", value(600_000))
                .withValue("db.maxLifetime", value(1_800_000))
                .withValue("db.leakDetectionThreshold", value(0))
                .withValue("db.keepAliveConnection", value(false));
    }

    private static ConfigValue value(Object v) {
        return ConfigValueFactory.fromAnyRef(v);
    }
}
