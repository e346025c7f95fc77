package org.hasm.persistence.jdbc.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.persistence.Segment;
import org.hasm.persistence.SegmentMessages;
import org.hasm.persistence.SegmentMessages.AppendEntry;
import org.hasm.persistence.SegmentMessages.Persisted;
import org.hasm.persistence.SegmentMessages.ReadSegment;
import org.hasm.persistence.SegmentMessages.SegmentContents;
import org.hasm.persistence.SegmentPort;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.SchemaCreator;
import org.hasm.persistence.jdbc.TestDatabases;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * Recovery time of one long segment on the embedded H2 database: write N entries, stop, start a new
 * actor system and time from spawning the segment to its first answer, with the segment's snapshots
 * (every {@value Segment#SNAPSHOT_EVERY} entries) and with its snapshot store switched off (full replay).
 *
 * <pre>./mvnw -q -B -pl persistence test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=org.hasm.persistence.jdbc.bench.RecoveryBenchmark -Dexec.args="100000"</pre>
 */
public final class RecoveryBenchmark {
    private static final Part SEGMENT = Part.SecurityLog;

    public static void main(String[] args) throws Exception {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dir = Files.createTempDirectory("hasm-recovery");
        try {
            JournalStore store = JournalStore.h2(dir);
            SchemaCreator.create(store);
            Config withSnapshots = store.applyTo(ConfigFactory.load());
            Config withoutSnapshots = withSnapshots.withValue(Segment.snapshotPluginId(SEGMENT),
                    ConfigFactory.load().getValue("pekko.persistence.no-snapshot-store"));
            write(withSnapshots, entries);
            System.out.printf(Locale.ROOT, "recovery of a %,d-entry %s on H2, %d cores, Java %s%n", entries,
                    Segment.journalName(SEGMENT), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            for (int trial = 0; trial < 3; trial++) {
                System.out.printf(Locale.ROOT, "  with snapshots   : %,8d ms%n", recover(withSnapshots, entries));
                System.out.printf(Locale.ROOT, "  without snapshots: %,8d ms%n", recover(withoutSnapshots, entries));
            }
        } finally {
            TestDatabases.deleteRecursively(dir);
        }
    }

    private static void write(Config config, int entries) throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "write", config);
        try {
            CompletableFuture<Void> done = new CompletableFuture<>();
            ActorRef<SegmentMessages.SegmentCommand>[] port = new ActorRef[1];
            ActorRef<PolicyMessage> owner = system.systemActorOf(Behaviors.<PolicyMessage>receiveMessage(m -> {
                if (m instanceof Persisted p && p.sequenceNr() == entries) {
                    done.complete(null);
                }
                return Behaviors.same();
            }), "owner", Props.empty());
            port[0] = system.systemActorOf(SegmentPort.create(SEGMENT, "m1", owner::tell), "segment", Props.empty());
            port[0].tell(new SegmentMessages.PortWiring(m -> port[0].tell((SegmentMessages.SegmentCommand) m)));
            for (int i = 1; i <= entries; i++) {
                port[0].tell(new AppendEntry(i, "refused", "attempt " + i, i));
            }
            done.get(10, TimeUnit.MINUTES);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get();
        }
    }

    private static long recover(Config config, int entries) throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "recover", config);
        try {
            CompletableFuture<Long> recovered = new CompletableFuture<>();
            ActorRef<PolicyMessage> owner = system.systemActorOf(Behaviors.<PolicyMessage>receiveMessage(m -> {
                if (m instanceof SegmentContents c) {
                    recovered.complete(c.entries());
                }
                return Behaviors.same();
            }), "owner", Props.empty());
            long start = System.nanoTime();
            ActorRef<SegmentMessages.SegmentCommand> port =
                    system.systemActorOf(SegmentPort.create(SEGMENT, "m1", owner::tell), "segment", Props.empty());
            port.tell(new SegmentMessages.PortWiring(m -> port.tell((SegmentMessages.SegmentCommand) m)));
            port.tell(new ReadSegment(1));
            long found = recovered.get(10, TimeUnit.MINUTES);
            if (found != entries) {
                throw new IllegalStateException("recovered " + found + " entries, expected " + entries);
            }
            return (System.nanoTime() - start) / 1_000_000;
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get();
        }
    }
}
