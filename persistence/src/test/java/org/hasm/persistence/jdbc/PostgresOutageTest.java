package org.hasm.persistence.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.hasm.persistence.JournalHealth;
import org.hasm.persistence.SegmentMessages.AppendEntry;
import org.hasm.persistence.SegmentMessages.Persisted;
import org.hasm.persistence.SegmentMessages.ReadSegment;
import org.hasm.persistence.SegmentMessages.SegmentContents;
import org.hasm.persistence.SegmentMessages;
import org.hasm.persistence.SegmentPort;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.PolicyMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A real database outage: PostgreSQL refuses the meters' database and drops its connections while a
 * segment keeps receiving entries. When the database is back, every entry lands once, in order.
 */
class PostgresOutageTest {
    private static EmbeddedPostgres postgres;
    private static JournalStore store;

    @BeforeAll
    static void start() throws Exception {
        postgres = TestDatabases.startPostgres();
        store = TestDatabases.postgresStore(postgres);
        SchemaCreator.create(store);
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    private static void admin(String... sql) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    private static ActorRef<SegmentMessages.SegmentCommand> port(ActorTestKit kit, TestProbe<PolicyMessage> owner) {
        ActorRef<SegmentMessages.SegmentCommand> port = kit.spawn(SegmentPort.create(Part.OffSwitchLog, "m-outage", owner.getRef()::tell));
        port.tell(new SegmentMessages.PortWiring(m -> port.tell((SegmentMessages.SegmentCommand) m)));
        return port;
    }

    @Test
    void entriesWrittenDuringAnOutageLandOnceWhenTheDatabaseIsBack() throws Exception {
        ActorTestKit kit = ActorTestKit.create("outage", store.applyTo(ConfigFactory.load()));
        ListAppender<ILoggingEvent> userLines = new ListAppender<>();
        userLines.start();
        ((Logger) LoggerFactory.getLogger("hasm.storage")).addAppender(userLines);
        try {
            TestProbe<PolicyMessage> owner = kit.createTestProbe(PolicyMessage.class);
            ActorRef<SegmentMessages.SegmentCommand> log = port(kit, owner);
            for (int i = 1; i <= 10; i++) {
                log.tell(new AppendEntry(i, "actuation", "before " + i, i));
            }
            for (int i = 1; i <= 10; i++) {
                assertEquals(i, ((Persisted) owner.receiveMessage(Duration.ofSeconds(30))).sequenceNr());
            }

            admin("ALTER DATABASE " + TestDatabases.USER + " ALLOW_CONNECTIONS false",
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + TestDatabases.USER + "'");
            for (int i = 11; i <= 20; i++) {
                log.tell(new AppendEntry(i, "actuation", "during " + i, i));
            }
            owner.expectNoMessage(Duration.ofSeconds(2)); // nothing is confirmed while the database is away
            TestDatabases.awaitOutageNoticed(kit.system(), Duration.ofSeconds(60));
            owner.expectNoMessage(Duration.ZERO);
            admin("ALTER DATABASE " + TestDatabases.USER + " ALLOW_CONNECTIONS true");

            for (int i = 11; i <= 20; i++) {
                Persisted p = (Persisted) owner.receiveMessage(Duration.ofSeconds(90));
                assertEquals(i, p.sequenceNr());
                assertEquals(i, p.correlation());
            }
            // The user heard of it once, and of the end of it once, however many retries there were.
            assertEquals(List.of("database unreachable", "database reachable again"), userLines.list.stream()
                    .map(e -> e.getFormattedMessage().replaceAll("^(database (unreachable|reachable again)).*", "$1"))
                    .toList());
            assertEquals(1, JournalHealth.get(kit.system()).outages());
        } finally {
            kit.shutdownTestKit();
        }

        ActorTestKit again = ActorTestKit.create("after-outage", store.applyTo(ConfigFactory.load()));
        try {
            TestProbe<PolicyMessage> owner = again.createTestProbe(PolicyMessage.class);
            port(again, owner).tell(new ReadSegment(99));
            SegmentContents contents = (SegmentContents) owner.receiveMessage(Duration.ofSeconds(30));
            assertEquals(20, contents.entries(), "every entry once: none lost, none written twice");
        } finally {
            again.shutdownTestKit();
        }
    }
}
