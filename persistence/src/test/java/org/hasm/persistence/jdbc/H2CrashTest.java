package org.hasm.persistence.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.persistence.SegmentMessages.AppendEntry;
import org.hasm.persistence.SegmentMessages.Persisted;
import org.hasm.persistence.SegmentMessages.PortWiring;
import org.hasm.persistence.SegmentMessages.ReadSegment;
import org.hasm.persistence.SegmentMessages.SegmentCommand;
import org.hasm.persistence.SegmentMessages.SegmentContents;
import org.hasm.persistence.SegmentPort;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.PolicyMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A confirmed entry survives the death of the process: a child JVM writes entries one after the other
 * through the H2 journal and halts (no shutdown hooks, like kill -9) the moment its last entry is
 * confirmed; the entries are all there when the database is opened again. With H2's default WRITE_DELAY
 * of 500 ms this fails: commits sit in H2's buffers.
 */
class H2CrashTest {
    static final int ENTRIES = 40;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void entriesConfirmedBeforeTheProcessDiesAreInTheDatabase() throws Exception {
        Path dir = Files.createTempDirectory("hasm-h2-crash-");
        try {
            Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
            Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    Writer.class.getName(), dir.toString())
                    .redirectErrorStream(true)
                    .start();
            long confirmed = 0;
            StringBuilder output = new StringBuilder();
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("confirmed ")) {
                        confirmed = Long.parseLong(line.substring("confirmed ".length()));
                    } else {
                        output.append(line).append('\n');
                    }
                }
            }
            assertEquals(Writer.HALTED, child.waitFor(), output::toString);
            assertEquals(ENTRIES, confirmed, output::toString);

            JournalStore store = JournalStore.h2(dir);
            ActorTestKit kit = ActorTestKit.create("after-crash", store.applyTo(ConfigFactory.load()));
            try {
                TestProbe<PolicyMessage> owner = kit.createTestProbe(PolicyMessage.class);
                ActorRef<SegmentCommand> port = kit.spawn(SegmentPort.create(Part.OffSwitchLog, "m1", owner.getRef()::tell));
                port.tell(new PortWiring(m -> port.tell((SegmentCommand) m)));
                port.tell(new ReadSegment(1));
                // recovery opens the crashed file first: seconds on a loaded machine
                SegmentContents contents = (SegmentContents) owner.receiveMessage(Duration.ofSeconds(30));
                assertTrue(contents.entries() >= confirmed,
                        "confirmed " + confirmed + " entries before the crash, found " + contents.entries());
                // the ordering sequence hands out values in cached blocks; after the crash it must not
                // hand out one already used, or this insert breaks the unique index
                long next = contents.entries() + 1;
                port.tell(new AppendEntry(next, "actuation", "entry after the crash", next));
                Persisted persisted = (Persisted) owner.receiveMessage(Duration.ofSeconds(30));
                assertEquals(next, persisted.sequenceNr());
            } finally {
                kit.shutdownTestKit();
            }
        } finally {
            TestDatabases.deleteRecursively(dir);
        }
    }

    /** The child: writes ENTRIES entries one after the other, prints each confirmation, halts after the last. */
    public static final class Writer {
        static final int HALTED = 42;

        public static void main(String[] args) {
            JournalStore store = JournalStore.h2(Path.of(args[0]));
            SchemaCreator.create(store);
            AtomicReference<ActorRef<SegmentCommand>> self = new AtomicReference<>();
            ActorSystem.create(Behaviors.<Void>setup(ctx -> {
                ActorRef<SegmentCommand> port = ctx.spawn(SegmentPort.create(Part.OffSwitchLog, "m1", m -> {
                    if (m instanceof Persisted p) {
                        System.out.println("confirmed " + p.sequenceNr());
                        System.out.flush();
                        if (p.sequenceNr() == ENTRIES) {
                            Runtime.getRuntime().halt(HALTED);
                        }
                        self.get().tell(new AppendEntry(p.sequenceNr() + 1, "actuation", "entry", p.sequenceNr() + 1));
                    }
                }), "port");
                self.set(port);
                port.tell(new PortWiring(m -> port.tell((SegmentCommand) m)));
                port.tell(new AppendEntry(1, "actuation", "entry", 1));
                return Behaviors.empty();
            }), "crash", store.applyTo(ConfigFactory.load()));
        }
    }

}
