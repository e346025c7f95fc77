package org.hasm.persistence.jdbc;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The Pekko configuration of a {@link JournalStore}: the shared pool, and for every journal its journal,
 * snapshot and read-journal plugins on its own tables ({@link JournalStore#config()},
 * {@link JournalStore#applyTo(Config)}).
 */
final class PluginConfig {
    private static final String EXTENSIONS = "pekko.extensions";

    private PluginConfig() {
    }

    /** See {@link JournalStore#config()}; {@code sharedPool} is {@link SharedPool#config}. */
    static Config render(JournalStore store, Config sharedPool) {
        Config reference = ConfigFactory.defaultReference(JournalStore.class.getClassLoader());
        Config journal = reference.getConfig("jdbc-journal").withoutPath("slick");
        Config snapshot = reference.getConfig("jdbc-snapshot-store").withoutPath("slick");
        Config query = reference.getConfig("jdbc-read-journal").withoutPath("slick");

        Config result = ConfigFactory.empty()
                .withValue("pekko-persistence-jdbc.shared-databases." + JournalStore.SHARED_DATABASE, sharedPool.root());
        if (store.dialect() == JournalStore.Dialect.H2 && !store.isReadOnly()) {
            // compacting a file opened read-only fails, and H2 then closes the database under its readers
            result = result.withValue(EXTENSIONS, value(List.of(H2Housekeeping.class.getName())));
        }
        for (JournalStore.Journal j : store.journals()) {
            String schema = store.schema(j);
            result = result
                    .withValue(j.journalPluginId(), journalPlugin(j, schema, store.bufferSize(), journal).root())
                    .withValue(j.snapshotPluginId(), snapshotPlugin(j, schema, snapshot).root())
                    .withValue(j.queryPluginId(), queryPlugin(j, schema, query).root());
        }
        return result;
    }

    private static Config journalPlugin(JournalStore.Journal j, String schema, int bufferSize, Config defaults) {
        return ConfigFactory.empty()
                .withValue("use-shared-db", value(JournalStore.SHARED_DATABASE))
                .withValue("bufferSize", value(bufferSize))
                .withValue("parallelism", value(JournalStore.PARALLELISM))
                .withValue("plugin-dispatcher", value(JournalStore.PLUGIN_DISPATCHER))
                .withValue("circuit-breaker.call-timeout", value(JournalStore.CALL_TIMEOUT))
                .withValue("tables.event_journal.tableName", value(j.journalTable()))
                .withValue("tables.event_journal.schemaName", value(schema))
                .withValue("tables.event_tag.tableName", value(j.tagTable()))
                .withValue("tables.event_tag.schemaName", value(schema))
                .withFallback(defaults);
    }

    private static Config snapshotPlugin(JournalStore.Journal j, String schema, Config defaults) {
        return ConfigFactory.empty()
                .withValue("use-shared-db", value(JournalStore.SHARED_DATABASE))
                .withValue("plugin-dispatcher", value(JournalStore.PLUGIN_DISPATCHER))
                .withValue("tables.snapshot.tableName", value(j.snapshotTable()))
                .withValue("tables.snapshot.schemaName", value(schema))
                .withFallback(defaults);
    }

    private static Config queryPlugin(JournalStore.Journal j, String schema, Config defaults) {
        return ConfigFactory.empty()
                .withValue("use-shared-db", value(JournalStore.SHARED_DATABASE))
                .withValue("write-plugin", value(j.journalPluginId()))
                .withValue("tables.event_journal.tableName", value(j.journalTable()))
                .withValue("tables.event_journal.schemaName", value(schema))
                .withValue("tables.event_tag.tableName", value(j.tagTable()))
                .withValue("tables.event_tag.schemaName", value(schema))
                .withFallback(defaults);
    }

    /** See {@link JournalStore#applyTo(Config)}. */
    static Config applyTo(JournalStore store, Config base) {
        Config config = store.config();
        if (config.hasPath(EXTENSIONS) && base.hasPath(EXTENSIONS)) {
            // HOCON replaces lists; the application's extensions stay
            List<String> extensions = new ArrayList<>(base.getStringList(EXTENSIONS));
            extensions.removeAll(config.getStringList(EXTENSIONS));
            extensions.addAll(config.getStringList(EXTENSIONS));
            config = config.withValue(EXTENSIONS, value(extensions));
        }
        Config rest = base;
        for (JournalStore.Journal j : store.journals()) {
            rest = rest.withoutPath(j.journalPluginId()).withoutPath(j.snapshotPluginId())
                    .withoutPath(j.queryPluginId());
        }
        return config.withFallback(rest);
    }

    private static ConfigValue value(Object v) {
        return ConfigValueFactory.fromAnyRef(v);
    }
}
