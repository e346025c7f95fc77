package org.hasm.actors.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.hasm.persistence.ChainVerifier;
import org.hasm.persistence.Segment;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.SchemaCreator;
import org.hasm.persistence.jdbc.TestDatabases;
import org.hasm.policy.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The database goes away under running meters and comes back: PostgreSQL is stopped and started again
 * on the same data. The meters keep taking energy samples and commands; what they could not log waits
 * (P11) and lands once, in order, when the database is back; the user reads two lines about it.
 */
class MeterOutageTest {
    private static final int METERS = 5;
    private static final int DURING = 3;
    private static final Duration BACK_WITHIN = Duration.ofSeconds(90);

    private static EmbeddedPostgres start(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .start();
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void metersKeepWorkingThroughADatabaseOutageAndEveryEntryLandsOnceItIsBack() throws Exception {
        Path data = Files.createTempDirectory("hasm-meter-outage-");
        EmbeddedPostgres pg = start(data, 0);
        ActorTestKit kit = null;
        ListAppender<ILoggingEvent> userLines = new ListAppender<>();
        userLines.start();
        Logger storage = (Logger) LoggerFactory.getLogger("hasm.storage");
        storage.addAppender(userLines);
        try {
            int port = pg.getPort();
            JournalStore store = JournalStore.postgres(pg.getJdbcUrl("postgres", "postgres"), "postgres", "");
            SchemaCreator.create(store);
            kit = ActorTestKit.create("meter-outage", store.applyTo(ConfigFactory.load()));
            List<MeterHarness> meters = new ArrayList<>();
            for (int i = 0; i < METERS; i++) {
                MeterHarness m = new MeterHarness(kit, "outage-" + i, MeterConfig.DEFAULT, Tariff.flat(20_000));
                m.interval(100);
                assertTrue(m.nextReadingText(BACK_WITHIN).endsWith(",100,0"));
                meters.add(m);
            }

            pg.close(); // the database goes away
            for (MeterHarness m : meters) {
                for (int k = 1; k <= DURING; k++) {
                    m.interval(200 + k);
                }
            }
            MeterHarness first = meters.get(0);
            first.fromConcentrator(new MeterSignals.SwitchCommandFrame(first.central.switchCommand(false, first.nowSeconds())));
            first.supply.expectNoMessage(Duration.ofSeconds(1)); // P11: not before the OffSwitchLog has the entry
            TestDatabases.awaitOutageNoticed(kit.system(), BACK_WITHIN);
            first.supply.expectNoMessage(Duration.ZERO);

            pg = start(data, port); // and comes back on the same data
            assertFalse(first.supply.receiveMessage(BACK_WITHIN), "the switch-off takes effect once it is logged");
            for (MeterHarness m : meters) {
                for (int k = 1; k <= DURING; k++) {
                    String reading = m.nextReadingText(BACK_WITHIN);
                    assertTrue(reading.endsWith("," + (200 + k) + ",0"), m.meterId + " reading " + k + ": " + reading);
                }
            }
            // the readings came back through the MetrologyLogs; the other segments' journals may still be in their
            // backoff, and the line that says the database is back comes once the last of them writes again
            kit.createTestProbe().awaitAssert(BACK_WITHIN, () -> {
                List<ILoggingEvent> lines;
                synchronized (userLines) { // AppenderBase appends under the appender's lock
                    lines = List.copyOf(userLines.list);
                }
                assertEquals(List.of("database unreachable", "database reachable again"), lines.stream()
                        .map(e -> e.getFormattedMessage().replaceAll("^(database (unreachable|reachable again)).*", "$1"))
                        .toList(), "one line when it went, one when it came back, for all " + METERS * 6 + " segments");
                return null;
            });

            for (MeterHarness m : meters) {
                List<Segment.Entry> log = read(kit, Part.MetrologyLog, m.meterId);
                assertEquals(1 + DURING, log.stream().filter(e -> e.kind().equals("reading")).count(), m.meterId);
                for (Part segment : Part.ofKind(Part.Kind.SEGMENT)) {
                    ChainVerifier.Report report = ChainVerifier.verify(m.meterId, Segment.journalName(segment),
                            read(kit, segment, m.meterId), List.of());
                    assertTrue(report.intact(), report.toString());
                }
            }
        } finally {
            storage.detachAppender(userLines);
            if (kit != null) {
                kit.shutdownTestKit();
            }
            pg.close();
            TestDatabases.deleteRecursively(data);
        }
    }

    private static List<Segment.Entry> read(ActorTestKit kit, Part segment, String meterId) throws Exception {
        JdbcReadJournal query = PersistenceQuery.get(Adapter.toClassic(kit.system()))
                .getReadJournalFor(JdbcReadJournal.class, JournalStore.queryPluginId(segment));
        return query.currentEventsByPersistenceId(Segment.persistenceId(segment, meterId).id(), 0, Long.MAX_VALUE)
                .map(e -> (Segment.Entry) e.event())
                .runWith(Sink.seq(), kit.system())
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
