package org.hasm.actors.meter.bench;

import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.gcm.BasicGCMMultiplier;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.central.Provisioning;
import org.hasm.actors.crypto.AggregationScheme;
import org.hasm.actors.crypto.SimulationRandomness;
import org.hasm.actors.crypto.ZeroSumMasking;
import org.hasm.actors.meter.Meter;
import org.hasm.actors.meter.MeterConfig;
import org.hasm.actors.meter.MeterSignals.EnergySample;
import org.hasm.actors.meter.MeterSignals.FrameToCentralSystem;
import org.hasm.actors.meter.MeterSignals.TimeSignal;
import org.hasm.actors.meter.StandardMeterParts;
import org.hasm.actors.meter.Tariff;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.DropCounter;
import org.hasm.policy.kernel.Envelope;
import org.hasm.policy.verify.RuleAttribution;

/**
 * Two meter benchmarks, each against a baseline measured in the same run.
 * <ul>
 *   <li>{@code heap N}: heap per idle meter with N meters assembled (16 guarded parts and 6 journal
 *       children each), measured as used heap after full GCs, before and after.</li>
 *   <li>{@code pipeline N INTERVALS}: readings per second from Metrology through Computations, the
 *       MetrologyLog (in-memory journal), CsSecurity's AES-GCM sealing and Communications to the
 *       concentrator, against raw AES-GCM seal+open of the same payload on one thread.</li>
 * </ul>
 * <pre>./mvnw -q -pl actors test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=org.hasm.actors.meter.bench.MeterBenchmark -Dexec.args="heap 10000"</pre>
 */
public final class MeterBenchmark {
    static final long T0 = 1_767_225_600_000L;
    static final long INTERVAL = Duration.ofMinutes(15).toMillis();

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "pipeline";
        int meters = args.length > 1 ? Integer.parseInt(args[1]) : (mode.equals("heap") ? 10_000 : 1_000);
        int intervals = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        System.out.printf(Locale.ROOT, "meter benchmark '%s': %,d meters, %d cores, Java %s, max heap %,d MiB%n", mode, meters,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        if (mode.equals("heap")) {
            heap(meters);
        } else {
            pipeline(meters, intervals);
        }
    }

    /** A fleet of meters sharing one system; frames reaching the concentrator are counted. */
    static final class Fleet implements AutoCloseable {
        final ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench");
        final List<Meter.Handle> handles = new ArrayList<>();
        final AtomicLong frames = new AtomicLong();
        volatile CountDownLatch expected = new CountDownLatch(0);

        Fleet(int meters) throws Exception {
            FlowPolicy policy = FlowPolicy.shipped();
            RuleAttribution attribution = new RuleAttribution(policy);
            DropCounter drops = new DropCounter();
            SecureRandom random = SimulationRandomness.seeded(1, "bench");
            Provisioning provisioning = new Provisioning("cs-bench", random);
            // Masking groups of 8 (each meter owns its group member: the keyed PRFs are not shared between actors).
            AggregationScheme group = null;
            ActorRef<Envelope> concentrator = system.systemActorOf(Behaviors.<Envelope>receiveMessage(e -> {
                if (e.payload() instanceof FrameToCentralSystem) {
                    frames.incrementAndGet();
                    expected.countDown();
                }
                return Behaviors.same();
            }), "concentrator", org.apache.pekko.actor.typed.Props.empty());
            ActorRef<Envelope> sink = system.systemActorOf(Behaviors.<Envelope>ignore(), "han",
                    org.apache.pekko.actor.typed.Props.empty());
            for (int i = 0; i < meters; i++) {
                String id = "m" + i;
                if (i % 8 == 0) {
                    group = ZeroSumMasking.generateGroup(8, random);
                }
                ProvisionedMeter keys = provisioning.provision(id);
                StandardMeterParts parts = new StandardMeterParts(id, T0, MeterConfig.DEFAULT, Tariff.flat(20_000),
                        keys.csSecurityKeys(), keys.offSwitchSecurityKeys(), group.meter(i % group.groupSize()),
                        supply -> { }, view -> { });
                Meter.Blueprint blueprint = new Meter.Blueprint(id, policy, parts, Map.of(Part.DataConcentrator, concentrator,
                        Part.HanGateway, sink, Part.MaintenanceTechnician, sink), attribution, drops);
                handles.add(Meter.start(system, blueprint).toCompletableFuture().get(30, TimeUnit.SECONDS));
            }
        }

        /** The first tick: it opens the first interval and closes none, so no reading comes back. */
        void install() {
            for (Meter.Handle h : handles) {
                h.from(Part.Environment, Part.Clock).send(new TimeSignal(T0));
            }
        }

        /**
         * Every meter measures {@code count} intervals from {@code firstEnd} on, sent back to back (the pipeline
         * stays full, as it is when a simulation runs ahead); returns when all readings reached the concentrator.
         */
        void intervals(long firstEnd, int count) throws InterruptedException {
            expected = new CountDownLatch(handles.size() * count);
            for (int k = 0; k < count; k++) {
                long end = firstEnd + k * INTERVAL;
                for (Meter.Handle h : handles) {
                    h.from(Part.Environment, Part.Metrology).send(new EnergySample(end - INTERVAL / 2, 100 + k, 0));
                    h.from(Part.Environment, Part.Clock).send(new TimeSignal(end));
                }
            }
            if (!expected.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("readings missing: " + expected.getCount());
            }
        }

        @Override
        public void close() {
            system.terminate();
        }
    }

    static void heap(int meters) throws Exception {
        long before = usedHeapAfterGc();
        try (Fleet fleet = new Fleet(meters)) {
            fleet.install();
            Thread.sleep(2000); // benchmark only: let start-up traffic settle before measuring
            long after = usedHeapAfterGc();
            System.out.printf(Locale.ROOT, "heap before: %,d KiB, after %,d idle meters: %,d KiB%n", before >> 10, meters, after >> 10);
            System.out.printf(Locale.ROOT, "heap per idle meter: %,.1f KiB (target <= 64 KiB)%n", (after - before) / 1024.0 / meters);
        }
    }

    static void pipeline(int meters, int intervals) throws Exception {
        double raw = rawGcm();
        try (Fleet fleet = new Fleet(meters)) {
            fleet.install();
            fleet.intervals(T0 + INTERVAL, Math.max(5, intervals / 5)); // warm-up
            long start = System.nanoTime();
            fleet.intervals(T0 + (Math.max(5, intervals / 5) + 1) * INTERVAL, intervals);
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = (double) meters * intervals / seconds;
            System.out.printf(Locale.ROOT, "raw AES-128-GCM seal+open, 1 thread : %,12.0f /s%n", raw);
            System.out.printf(Locale.ROOT, "reading pipeline, %,d meters        : %,12.0f readings/s (%d intervals, %.1f s)%n",
                    meters, rate, intervals, seconds);
            System.out.printf(Locale.ROOT, "ratio                               : %.1f %% (target >= 25 %%)%n", 100 * rate / raw);
        }
    }

    /**
     * Seal and open of a reading-sized payload with Bouncy Castle's AES-GCM, as fast as one thread goes: each
     * cipher keyed once, as the pipeline's sealers and openers are ({@code KeyedGcm}), then only re-initialised
     * with the next IV.
     */
    static double rawGcm() throws Exception {
        byte[] key = new byte[16];
        byte[] payload = "electricity,1767225600000,1767226500000,1234,0".getBytes();
        byte[] out = new byte[payload.length + 16];
        byte[] back = new byte[payload.length];
        GCMBlockCipher seal = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance(), new BasicGCMMultiplier());
        GCMBlockCipher open = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance(), new BasicGCMMultiplier());
        long frames = 0; // across trials too, so that no IV repeats
        double best = 0;
        for (int trial = 0; trial < 5; trial++) {
            long n = 0;
            long start = System.nanoTime();
            while (System.nanoTime() - start < 1_000_000_000L) {
                byte[] iv = new byte[12];
                for (int b = 0; b < 8; b++) {
                    iv[11 - b] = (byte) (frames >>> (8 * b));
                }
                // keyed for the first frame only: later, Bouncy Castle keeps the key and only takes the IV
                KeyParameter keying = frames == 0 ? new KeyParameter(key) : null;
                seal.init(true, new AEADParameters(keying, 128, iv, new byte[13]));
                int len = seal.processBytes(payload, 0, payload.length, out, 0);
                seal.doFinal(out, len);
                open.init(false, new AEADParameters(keying, 128, iv, new byte[13]));
                int l2 = open.processBytes(out, 0, out.length, back, 0);
                open.doFinal(back, l2);
                n++;
                frames++;
            }
            best = Math.max(best, n / ((System.nanoTime() - start) / 1e9));
        }
        return best;
    }

    static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
