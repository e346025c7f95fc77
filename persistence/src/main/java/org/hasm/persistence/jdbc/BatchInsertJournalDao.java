package org.hasm.persistence.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableColumnNames;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableConfiguration;
import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.DefaultJournalDao;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables.JournalPekkoSerializationRow;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.collection.immutable.Seq;
import scala.collection.immutable.Set;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.runtime.BoxedUnit;
import slick.dbio.DBIOAction;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;
import slick.jdbc.SimpleJdbcAction;

/**
 * pekko-persistence-jdbc's own journal DAO ({@code jdbc-journal.dao}), except for one step: a batch of rows
 * is inserted with one plain JDBC batch in one transaction instead of through Slick's compiled insert and
 * {@code transactionally}, which cost three trips through Slick's executor and most of the JVM's time per
 * event on PostgreSQL (BENCHMARKS.md, "Journal throughput"). Everything else is the plugin's: serialization,
 * the write queue that gathers concurrent writes into one batch, reads, deletes, the read journal.
 *
 * <p>Rows and table are the plugin's, column for column, so what is stored is unchanged. Tagged events
 * (hasm has none) go the plugin's way, because their tag rows need the generated {@code ordering}.
 */
public final class BatchInsertJournalDao extends DefaultJournalDao {
    private final String insert;

    /** The plugin makes its DAO by reflection with exactly these arguments. */
    public BatchInsertJournalDao(JdbcBackend.JdbcDatabaseDef db, JdbcProfile profile, JournalConfig journalConfig,
                                 Serialization serialization, ExecutionContext ec, Materializer mat) {
        super(db, profile, journalConfig, serialization, ec, mat);
        this.insert = insertStatement(journalConfig.eventJournalTableConfiguration());
    }

    static String insertStatement(EventJournalTableConfiguration table) {
        EventJournalTableColumnNames c = table.columnNames();
        String name = (table.schemaName().isDefined() ? quote(table.schemaName().get()) + "." : "") + quote(table.tableName());
        List<String> columns = List.of(c.deleted(), c.persistenceId(), c.sequenceNumber(), c.writer(), c.writeTimestamp(),
                c.adapterManifest(), c.eventPayload(), c.eventSerId(), c.eventSerManifest(), c.metaPayload(), c.metaSerId(),
                c.metaSerManifest());
        List<String> quoted = new ArrayList<>();
        for (String column : columns) {
            quoted.add(quote(column));
        }
        return "INSERT INTO " + name + " (" + String.join(", ", quoted) + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public Future<BoxedUnit> writeJournalRows(Seq<Tuple2<JournalPekkoSerializationRow, Set<String>>> rows) {
        List<JournalPekkoSerializationRow> plain = new ArrayList<>(rows.size());
        Iterator<Tuple2<JournalPekkoSerializationRow, Set<String>>> it = rows.iterator();
        while (it.hasNext()) {
            Tuple2<JournalPekkoSerializationRow, Set<String>> row = it.next();
            if (!row._2().isEmpty()) {
                return super.writeJournalRows(rows);
            }
            plain.add(row._1());
        }
        // Runs on Slick's executor with a pooled connection, never on the caller's (an actor's) thread.
        SimpleJdbcAction<BoxedUnit> insertion = SimpleJdbcAction.apply(context -> insertAll(context.connection(), plain));
        return runAnywhere(insertion);
    }

    /** {@code run} takes an action of effect {@code Nothing}, which Scala's variance allows and Java cannot say. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Future<BoxedUnit> runAnywhere(SimpleJdbcAction<BoxedUnit> action) {
        return db().run((DBIOAction) action);
    }

    /** All rows or none: the batch is one transaction, and the plugin fails every write in it on an error. */
    private BoxedUnit insertAll(Connection connection, List<JournalPekkoSerializationRow> rows) {
        try {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(insert)) {
                for (JournalPekkoSerializationRow row : rows) {
                    bind(statement, row);
                    statement.addBatch();
                }
                statement.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
            return BoxedUnit.UNIT;
        } catch (SQLException e) {
            throw new StorageException("writing " + rows.size() + " journal rows failed: " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement statement, JournalPekkoSerializationRow row) throws SQLException {
        statement.setBoolean(1, row.deleted());
        statement.setString(2, row.persistenceId());
        statement.setLong(3, row.sequenceNumber());
        statement.setString(4, row.writer());
        statement.setLong(5, row.writeTimestamp());
        statement.setString(6, row.adapterManifest());
        statement.setBytes(7, row.eventPayload());
        statement.setInt(8, row.eventSerId());
        statement.setString(9, row.eventSerManifest());
        if (row.metaPayload().isDefined()) {
            statement.setBytes(10, row.metaPayload().get());
            statement.setInt(11, (Integer) row.metaSerId().get());
            statement.setString(12, row.metaSerManifest().get());
        } else {
            statement.setNull(10, Types.VARBINARY);
            statement.setNull(11, Types.INTEGER);
            statement.setNull(12, Types.VARCHAR);
        }
    }
}
