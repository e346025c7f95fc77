package org.hasm.actors.forensics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.hasm.actors.sim.Simulations;
import org.hasm.actors.sim.scenario.Scenario;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.TestDatabases;
import org.hasm.policy.Part;
import org.junit.jupiter.api.Test;

/** The forensic reader on PostgreSQL: each segment in its own schema, read through read-only sessions. */
class ForensicReaderPostgresTest {
    @Test
    void aSimulationOnPostgresIsExplainedThroughReadOnlySessions() throws Exception {
        try (EmbeddedPostgres postgres = TestDatabases.startPostgres()) {
            JournalStore store = TestDatabases.postgresStore(postgres);
            Scenario scenario = Scenario.load("neighbourhood").withMeters(8);
            Simulations.run(store, scenario, 4);

            JournalStore readOnly = store.readOnly();
            try (ForensicReader reader = ForensicReader.open(readOnly)) {
                List<String> meters = reader.meterIds();
                assertEquals(scenario.meters(), meters.size(), meters.toString());
                OperatorTrail gateway = new OperatorTrail(reader.gateway());
                long tariffs = 0;
                for (String meter : meters) {
                    MeterLogs logs = reader.meter(meter);
                    Explanation e = Explanation.of(logs, gateway);
                    assertEquals(0, e.unexplained(), e.findings().toString());
                    tariffs += e.findings().stream().filter(f -> f.category().equals("tariff")).count();
                    assertTrue(!logs.entries(Part.MetrologyLog).isEmpty() && !logs.account().isEmpty(), meter);
                }
                assertEquals(scenario.meters(), tariffs, "one signed tariff update per meter, each linked");
            }
            // what the reader was given refuses writes at the server
            try (Connection c = readOnly.connect(); Statement s = c.createStatement()) {
                SQLException refused = assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM "
                        + readOnly.qualified(Part.OffSwitchLog, JournalStore.journalTable(Part.OffSwitchLog))));
                assertEquals("25006", refused.getSQLState(), refused.getMessage()); // read_only_sql_transaction
            }
        }
    }
}
