package org.hasm.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.hasm.actors.central.CentralSystem;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.central.MeterDownlink;
import org.hasm.actors.central.MeterDownlink.FrameToMeter;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.central.SeededFleet;
import org.hasm.actors.concentrator.CentralSystemLink.DeliverFrame;
import org.hasm.actors.concentrator.CentralSystemLink.FrameDelivered;
import org.hasm.actors.crypto.FrameKind;
import org.hasm.actors.crypto.GcmFrameOpener;
import org.hasm.actors.crypto.GcmFrameSealer;
import org.hasm.actors.crypto.InvocationCounter;
import org.hasm.actors.crypto.Opened;
import org.hasm.actors.crypto.SystemTitle;
import org.hasm.actors.sim.Neighbourhood;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs: a child process runs {@code hasm node --role central}; the test's own actor system joins it as a
 * concentrator node, finds the central system through {@link CentralLocator} and delivers sealed frames of a
 * meter whose keys it derived itself from the same seed. The child is then killed and must be gone.
 */
class CentralNodeProcessTest {
    private static final long SEED = 7;
    private static final int METERS = 8;
    private static final String METER = SeededFleet.meterId(3);
    private static final long QUARTER = 900_000L;
    private static final long DAY0 = 1_767_225_600_000L; // 2026-01-01T00:00Z
    private static final Pattern UP = Pattern.compile("central node up at ([^:]+):(\\d+), role central");
    /** Generous on a shared 2-core machine: a JVM start and an H2 schema; the wait ends as soon as the line comes. */
    private static final Duration STARTUP = Duration.ofSeconds(120);

    @Test
    void aConcentratorNodeDeliversSealedFramesToACentralNodeInAnotherProcess(@TempDir Path dir) throws Exception {
        Path stderr = dir.resolve("central.err");
        Process central = new ProcessBuilder(javaCommand(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "org.hasm.actors.cli.HasmCommand",
                "node", "--role", "central", "--port", "0", "--data", dir.resolve("data").toString(),
                "--meters", String.valueOf(METERS), "--seed-keys", String.valueOf(SEED), "--acknowledge-every", "1")
                .redirectError(stderr.toFile())
                .start();
        ActorTestKit testKit = null;
        try {
            Matcher up = awaitLine(central, UP, stderr);
            String seed = up.group(1) + ":" + up.group(2);
            testKit = ActorTestKit.create(ClusterConfig.SYSTEM_NAME, ClusterConfig.node("127.0.0.1", 0,
                    List.of(ClusterConfig.CONCENTRATOR), List.of(seed)).withFallback(ConfigFactory.load("application-test")));
            TestProbe<FrameToMeter> downlink = testKit.createTestProbe(FrameToMeter.class);
            testKit.system().receptionist().tell(Receptionist.register(CentralLocator.DOWNLINK, downlink.getRef()));

            CentralSystem.Handles handles = CentralLocator.locate(testKit.system(), List.of(Neighbourhood.CONCENTRATOR),
                    STARTUP).toCompletableFuture().get(STARTUP.toSeconds() + 10, TimeUnit.SECONDS);
            assertNotNull(handles.fraudAlerts().get(Neighbourhood.CONCENTRATOR));

            // the meter's side, from the seed alone: the same keys the central node derived in its own process
            ProvisionedMeter keys = new SeededFleet(SEED, METERS).apply(METER);
            GcmFrameSealer meter = new GcmFrameSealer(keys.csSecurityKeys().channelKey(), SystemTitle.ofMeter(METER),
                    InvocationCounter.fresh());
            GcmFrameOpener fromCentral = new GcmFrameOpener(keys.csSecurityKeys().channelKey(), SystemTitle.ofCentralSystem(
                    SeededFleet.CENTRAL_SYSTEM_ID));
            TestProbe<FrameDelivered> delivered = testKit.createTestProbe(FrameDelivered.class);
            for (int k = 0; k < 3; k++) {
                long start = DAY0 + k * QUARTER;
                handles.inbox().tell(new DeliverFrame(k + 1, METER, reading(meter, start, 100 + k), delivered.getRef()));
                assertEquals(new FrameDelivered(k + 1), delivered.receiveMessage(STARTUP));
                // acknowledged through the concentrator's downlink, sealed with the central node's copy of the key
                FrameToMeter ack = downlink.receiveMessage(STARTUP);
                assertEquals(METER, ack.meterId());
                assertEquals(MeterDownlink.Route.CS_SECURITY, ack.route());
                Opened.Ok ok = assertInstanceOf(Opened.Ok.class, fromCentral.open(ack.frame()));
                assertEquals(FrameKind.ACKNOWLEDGEMENT, ok.kind());
                assertEquals(start + QUARTER, Long.parseLong(new String(ok.plaintext(), StandardCharsets.UTF_8)));
            }

            // a frame sealed with another seed's key for the same meter is taken over but refused by the account
            ProvisionedMeter forged = new SeededFleet(SEED + 1, METERS).apply(METER);
            byte[] forgedFrame = reading(new GcmFrameSealer(forged.csSecurityKeys().channelKey(), SystemTitle.ofMeter(METER),
                    InvocationCounter.fresh()), DAY0 + 3 * QUARTER, 999);
            handles.inbox().tell(new DeliverFrame(4, METER, forgedFrame, delivered.getRef()));
            assertEquals(new FrameDelivered(4), delivered.receiveMessage(STARTUP));

            // the account, asked through this node's sharding proxy
            TestProbe<MeterAccount.AccountView> view = testKit.createTestProbe(MeterAccount.AccountView.class);
            handles.accounts().tell(new ShardingEnvelope<>(METER, new MeterAccount.GetAccount(view.getRef())));
            MeterAccount.AccountView account = view.receiveMessage(STARTUP);
            assertEquals(3, account.readings());
            assertEquals(1L, account.refusals().values().stream().mapToLong(Long::longValue).sum(), account.refusals().toString());

            List<ProcessHandle> children = central.descendants().toList();
            central.destroyForcibly();
            assertTrue(central.waitFor(60, TimeUnit.SECONDS), "the central node is gone after SIGKILL");
            assertFalse(central.isAlive());
            children.forEach(c -> assertFalse(c.isAlive(), "orphan " + c.pid()));
            // the operator's part after a crash: down the dead node so this one can leave the cluster cleanly
            Cluster cluster = Cluster.get(testKit.system());
            for (var member : cluster.state().getMembers()) {
                if (member.hasRole(ClusterConfig.CENTRAL)) {
                    cluster.manager().tell(new Down(member.address()));
                }
            }
        } finally {
            central.destroyForcibly();
            central.waitFor(60, TimeUnit.SECONDS);
            if (testKit != null) {
                testKit.shutdownTestKit();
            }
        }
    }

    private static byte[] reading(GcmFrameSealer meter, long start, long importWh) {
        return meter.seal(FrameKind.READINGS, ("electricity," + start + "," + (start + QUARTER) + "," + importWh + ",0")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Reads the child's stdout until a line matches; a bounded wait, and the child's output if it never comes. */
    private static Matcher awaitLine(Process process, Pattern pattern, Path stderr) throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Matcher> found = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    seen.add(line);
                    Matcher m = pattern.matcher(line);
                    if (m.find()) {
                        return m;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        Matcher m;
        try {
            m = found.get(STARTUP.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            m = null;
        }
        if (m == null) {
            throw new AssertionError("no line matching '" + pattern + "' from the child; stdout: " + seen + "; stderr: "
                    + (Files.exists(stderr) ? Files.readString(stderr) : ""));
        }
        // keep draining stdout so the child never blocks on a full pipe
        CompletableFuture.runAsync(() -> {
            try {
                while (lines.readLine() != null) {
                    // discarded
                }
            } catch (IOException ignored) {
                // the child was killed
            }
        });
        return m;
    }
}
