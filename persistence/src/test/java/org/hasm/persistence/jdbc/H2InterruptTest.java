package org.hasm.persistence.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Threads writing to the H2 journal get interrupted (a connection pool interrupts its workers when the
 * actor system shuts down). Without H2's retry: file system the interrupt closes the file under H2, which
 * then reports the file corrupted; with it, every committed row is there when the file is opened again.
 */
class H2InterruptTest {
    static final int ROWS = 3_000;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void interruptedWritersLeaveAFileThatOpensWithEveryCommittedRow() throws Exception {
        Path dir = Files.createTempDirectory("hasm-h2-interrupt-");
        try {
            JournalStore store = JournalStore.h2(dir);
            AtomicInteger committed = new AtomicInteger();
            try (Connection c = store.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id INT PRIMARY KEY, payload VARBINARY(400))");
                Thread writer = new Thread(() -> {
                    try (PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
                        for (int i = 1; i <= ROWS; i++) {
                            insert.setInt(1, i);
                            insert.setBytes(2, new byte[300]);
                            try {
                                insert.executeUpdate();
                                committed.set(i);
                            } catch (SQLException e) {
                                return; // the connection may refuse to go on after an interrupt; what committed must stay
                            } finally {
                                Thread.interrupted(); // clear it, as a pool thread would be reused
                            }
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }, "interrupted-writer");
                writer.start();
                while (writer.isAlive()) { // interrupt it again and again while it writes
                    writer.interrupt();
                    Thread.onSpinWait();
                }
            } catch (SQLException e) {
                // closing a connection whose file was closed under it may fail; the reopen below is the test
            }
            assertTrue(committed.get() > 0, "the writer committed rows");
            try (Connection c = JournalStore.h2(dir).connect(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT COUNT(*) FROM t")) {
                r.next();
                assertEquals(committed.get(), r.getInt(1), "every committed row, none torn");
            }
        } finally {
            TestDatabases.deleteRecursively(dir);
        }
    }
}
