package org.hasm.actors.forensics;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.hasm.actors.central.FraudAlertLedger;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.central.OperatorGateway;
import org.hasm.persistence.Segment;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.SchemaCreator;
import org.hasm.persistence.jdbc.StorageException;
import org.hasm.policy.Part;

/**
 * Reads what a simulation left, through Pekko Persistence Query ({@code currentEventsByPersistenceId} on
 * each journal's read plugin): a meter's six segments, its account at the central system, the operator
 * gateway's journal and the concentrators' fraud alerts. It starts no persistent actor, so nothing is ever written; give it a store made with
 * {@link JournalStore#readOnly()} and the database refuses writes as well.
 */
public final class ForensicReader implements AutoCloseable {
    /** The persistence id of the operator gateway ({@code PersistenceId.ofUniqueId}). */
    static final String GATEWAY_ID = "operator-gateway";
    private static final String ACCOUNT_PREFIX = MeterAccount.TYPE_KEY.name() + "|";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final ActorSystem<Void> system;
    /** The central system's journals' own actor system when they are in another store, else null. */
    private final ActorSystem<Void> centralSystem;
    private final Map<String, JdbcReadJournal> journals;
    private final boolean fraudAlertsKept;

    private ForensicReader(ActorSystem<Void> system, ActorSystem<Void> centralSystem, Map<String, JdbcReadJournal> journals,
                           boolean fraudAlertsKept) {
        this.system = system;
        this.centralSystem = centralSystem;
        this.journals = journals;
        this.fraudAlertsKept = fraudAlertsKept;
    }

    public static ForensicReader open(JournalStore store) {
        return open(store, store);
    }

    /**
     * The meters' segments from {@code store} and the central system's journals from {@code centralStore}, which
     * may be the same: a simulation split over processes on the embedded database leaves them in two.
     */
    public static ForensicReader open(JournalStore store, JournalStore centralStore) {
        boolean alertsKept;
        // a store written before the central system kept fraud alerts has no such tables: no alerts, not an error
        try (java.sql.Connection c = centralStore.connect()) {
            alertsKept = SchemaCreator.complete(c, centralStore, JournalStore.Journal.central(JournalStore.CENTRAL_ALERTS));
        } catch (java.sql.SQLException e) {
            throw new StorageException("cannot read " + centralStore.describe() + ": " + e.getMessage(), e);
        }
        ActorSystem<Void> system = replaySystem(store, "hasm-replay");
        ActorSystem<Void> central = centralStore == store ? null : replaySystem(centralStore, "hasm-replay-central");
        Map<String, JdbcReadJournal> journals = new java.util.HashMap<>();
        for (JournalStore.Journal j : store.journals()) {
            boolean ofCentral = j.schema().equals(JournalStore.CENTRAL_SCHEMA);
            ActorSystem<Void> reading = ofCentral && central != null ? central : system;
            journals.put(j.name(), PersistenceQuery.get(reading).getReadJournalFor(JdbcReadJournal.class, j.queryPluginId()));
        }
        return new ForensicReader(system, central, journals, alertsKept);
    }

    private static ActorSystem<Void> replaySystem(JournalStore store, String name) {
        Config config = store.applyTo(ConfigFactory.parseString(
                        "pekko.loglevel = WARNING\npekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off")
                .withFallback(ConfigFactory.load()));
        return ActorSystem.create(Behaviors.empty(), name, config);
    }

    /** Every meter with an account at the central system or a segment of its own, in order. */
    public List<String> meterIds() {
        TreeSet<String> ids = new TreeSet<>();
        for (String pid : await(journal(JournalStore.CENTRAL_ACCOUNTS).currentPersistenceIds().runWith(Sink.seq(), system))) {
            if (pid.startsWith(ACCOUNT_PREFIX)) {
                ids.add(pid.substring(ACCOUNT_PREFIX.length()));
            }
        }
        for (String pid : await(journal(Segment.journalName(Part.MetrologyLog)).currentPersistenceIds().runWith(Sink.seq(), system))) {
            ids.add(pid.substring(pid.indexOf('|') + 1));
        }
        return List.copyOf(ids);
    }

    /** The meter's six segments and its account, read concurrently. */
    public MeterLogs meter(String meterId) {
        return await(meterAsync(meterId));
    }

    public CompletableFuture<MeterLogs> meterAsync(String meterId) {
        Map<Part, CompletableFuture<List<Segment.Entry>>> segments = new EnumMap<>(Part.class);
        for (Part p : JournalStore.segments()) {
            segments.put(p, events(Segment.journalName(p), Segment.persistenceId(p, meterId).id(), Segment.Entry.class));
        }
        CompletableFuture<List<MeterAccount.Event>> account =
                events(JournalStore.CENTRAL_ACCOUNTS, ACCOUNT_PREFIX + meterId, MeterAccount.Event.class);
        List<CompletableFuture<?>> all = new ArrayList<>(segments.values());
        all.add(account);
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<Part, List<Segment.Entry>> read = new EnumMap<>(Part.class);
            segments.forEach((p, f) -> read.put(p, f.join()));
            return new MeterLogs(meterId, read, account.join());
        });
    }

    /** Every attempt at the operator gateway (P16) and what it scheduled and released. */
    public List<OperatorGateway.Event> gateway() {
        return await(events(JournalStore.CENTRAL_OPERATOR, GATEWAY_ID, OperatorGateway.Event.class));
    }

    /** Whether the store has the central system's journal of fraud alerts (older stores do not). */
    public boolean fraudAlertsKept() {
        return fraudAlertsKept;
    }

    /** Every fraud alert the central system kept, of every concentrator's ledger; none in a store without the journal. */
    public List<FraudAlertLedger.AlertRecorded> fraudAlerts() {
        List<FraudAlertLedger.AlertRecorded> out = new ArrayList<>();
        if (!fraudAlertsKept) {
            return out;
        }
        for (String pid : new TreeSet<>(await(journal(JournalStore.CENTRAL_ALERTS).currentPersistenceIds().runWith(Sink.seq(), system)))) {
            out.addAll(await(events(JournalStore.CENTRAL_ALERTS, pid, FraudAlertLedger.AlertRecorded.class)));
        }
        return out;
    }

    private <T> CompletableFuture<List<T>> events(String journal, String persistenceId, Class<T> type) {
        return journal(journal).currentEventsByPersistenceId(persistenceId, 0L, Long.MAX_VALUE)
                .map(EventEnvelope::event)
                .map(e -> {
                    if (!type.isInstance(e)) {
                        throw new StorageException("an event of " + persistenceId + " in " + journal + " is a "
                                + e.getClass().getName() + ", not a " + type.getSimpleName());
                    }
                    return type.cast(e);
                })
                .runWith(Sink.seq(), system)
                .toCompletableFuture();
    }

    private JdbcReadJournal journal(String name) {
        JdbcReadJournal j = journals.get(name);
        if (j == null) {
            throw new IllegalArgumentException("no journal " + name);
        }
        return j;
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(READ_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while reading the logs", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause();
            if (cause instanceof StorageException s) {
                throw s;
            }
            throw new StorageException("reading the logs failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new StorageException("reading the logs took more than " + READ_TIMEOUT.toSeconds() + " s", e);
        }
    }

    @Override
    public void close() {
        system.terminate();
        if (centralSystem != null) {
            centralSystem.terminate();
        }
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (centralSystem != null) {
                centralSystem.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the replay's actor system did not stop: " + e, e);
        }
    }
}
