package org.hasm.actors.crypto.bench;

import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.gcm.BasicGCMMultiplier;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.hasm.actors.crypto.AggregationScheme;
import org.hasm.actors.crypto.ChannelKey;
import org.hasm.actors.crypto.FrameKind;
import org.hasm.actors.crypto.GcmFrameOpener;
import org.hasm.actors.crypto.GcmFrameSealer;
import org.hasm.actors.crypto.InvocationCounter;
import org.hasm.actors.crypto.Opened;
import org.hasm.actors.crypto.PaillierAggregation;
import org.hasm.actors.crypto.PaillierKeyPair;
import org.hasm.actors.crypto.Share;
import org.hasm.actors.crypto.SimulationRandomness;
import org.hasm.actors.crypto.SystemTitle;
import org.hasm.actors.crypto.ZeroSumMasking;

/**
 * Throughput of the meter's cryptography, in one JVM and one run:
 * <ul>
 *   <li>the framed AES-GCM channel (seal + open of a 64-byte payload) against raw Bouncy Castle AES-GCM
 *       encrypt + decrypt of the same payload, so the ratio is the cost of framing and anti-replay;</li>
 *   <li>the two aggregation schemes side by side: shares per second at the meter, combining per share at
 *       the concentrator, and reading one aggregate.</li>
 * </ul>
 * Trials alternate between the measured operations so drift in the machine hits all alike; medians are
 * reported. Randomness is seeded: this measures speed, not key quality.
 *
 * <pre>./mvnw -q -pl actors test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=org.hasm.actors.crypto.bench.CryptoBenchmark [-Dexec.args="groupSize trials millisPerTrial"]</pre>
 */
public final class CryptoBenchmark {
    private static final int PAYLOAD = 64;

    /** One operation; returns something derived from its output so the JIT cannot drop it. */
    interface Op {
        long run(long i);
    }

    record Line(String label, Op op) {
    }

    private static long sink;

    public static void main(String[] args) {
        int group = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int trials = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long millis = args.length > 2 ? Long.parseLong(args[2]) : 1_000;
        SecureRandom random = SimulationRandomness.seeded(1, "crypto benchmark");

        System.out.printf(Locale.ROOT, "hasm crypto benchmark: %d cores (load average %.2f), Java %s, group of %d "
                        + "meters, %d trials of %d ms, medians; ratio = against the first line of its section%n%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                System.getProperty("java.version"), group, trials, millis);

        List<Line> channel = channelLines(random);
        report("meter <-> central system channel, 64-byte payload", channel, trials, millis);

        long keygenStart = System.nanoTime();
        PaillierKeyPair paillierKeys = PaillierKeyPair.generate(random);
        double keygenMs = (System.nanoTime() - keygenStart) / 1e6;
        long groupStart = System.nanoTime();
        ZeroSumMasking masking = ZeroSumMasking.generateGroup(group, random);
        double groupMs = (System.nanoTime() - groupStart) / 1e6;
        PaillierAggregation paillier = PaillierAggregation.withKeyHolder(paillierKeys, group, random);

        List<Line> shares = List.of(
                new Line("zero-sum masking: share at a meter", shareOp(masking)),
                new Line("Paillier-2048: share at a meter", shareOp(paillier)));
        double[] shareRates = report("aggregation: one meter's share", shares, trials, millis);

        report("aggregation: concentrator combines one round", List.of(
                new Line("zero-sum masking: combine " + group + " shares", combineOp(masking, group)),
                new Line("Paillier-2048: combine " + group + " shares", combineOp(paillier, group))),
                trials, millis);
        report("aggregation: reading one round's aggregate", List.of(
                new Line("zero-sum masking: read (concentrator)", readOp(masking, group)),
                new Line("Paillier-2048: decrypt (key holder)", readOp(paillier, group))),
                trials, millis);

        System.out.printf(Locale.ROOT, "zero-sum masking makes %.0fx more shares per second than Paillier-2048%n",
                shareRates[0] / shareRates[1]);
        System.out.printf(Locale.ROOT, "set-up: Paillier-2048 key pair %.0f ms; zero-sum group of %d "
                + "(%d X25519 agreements + HKDF) %.0f ms%n", keygenMs, group, group * (group - 1), groupMs);
        System.out.println("(checksum " + Long.toHexString(sink) + ")");
    }

    private static List<Line> channelLines(SecureRandom random) {
        ChannelKey key = ChannelKey.generate(random);
        SystemTitle meter = SystemTitle.ofMeter("bench-meter");
        byte[] payload = new byte[PAYLOAD];
        random.nextBytes(payload);

        GcmFrameSealer sealer = new GcmFrameSealer(key, meter, InvocationCounter.fresh());
        GcmFrameOpener opener = new GcmFrameOpener(key, meter);
        Op framed = i -> {
            Opened opened = opener.open(sealer.seal(FrameKind.READINGS, payload));
            if (!(opened instanceof Opened.Ok ok)) {
                throw new IllegalStateException("benchmark frame refused: " + opened);
            }
            return ok.plaintext()[0];
        };

        KeyParameter rawKey = new KeyParameter(key.toBytes());
        byte[] iv = new byte[12];
        // keyed once, as the sealer and opener are: later, Bouncy Castle keeps the key and only takes the IV
        GCMModeCipher rawSeal = GCMBlockCipher.newInstance(AESEngine.newInstance(), new BasicGCMMultiplier());
        GCMModeCipher rawOpen = GCMBlockCipher.newInstance(AESEngine.newInstance(), new BasicGCMMultiplier());
        boolean[] keyed = {false};
        Op raw = i -> {
            iv[11] = (byte) i;
            iv[10] = (byte) (i >>> 8);
            iv[9] = (byte) (i >>> 16);
            KeyParameter keying = keyed[0] ? null : rawKey;
            keyed[0] = true;
            byte[] sealed = gcm(rawSeal, true, keying, iv, payload);
            return gcm(rawOpen, false, keying, iv, sealed)[0];
        };
        return List.of(new Line("raw BC AES-128-GCM encrypt + decrypt", raw),
                new Line("GcmFrameSealer.seal + GcmFrameOpener.open", framed));
    }

    private static byte[] gcm(GCMModeCipher cipher, boolean encrypt, KeyParameter key, byte[] iv, byte[] in) {
        cipher.init(encrypt, new AEADParameters(key, 128, iv));
        byte[] out = new byte[cipher.getOutputSize(in.length)];
        int n = cipher.processBytes(in, 0, in.length, out, 0);
        try {
            cipher.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static Op shareOp(AggregationScheme scheme) {
        return i -> scheme.meter((int) (i % scheme.groupSize())).share(i, 1_000 + i).hashCode();
    }

    private static Op combineOp(AggregationScheme scheme, int group) {
        List<Share> shares = oneRound(scheme, group);
        return i -> scheme.combine(shares).hashCode();
    }

    private static Op readOp(AggregationScheme scheme, int group) {
        Share combined = scheme.combine(oneRound(scheme, group));
        AggregationScheme.AggregateReader reader = scheme.reader();
        return i -> reader.total(combined);
    }

    private static List<Share> oneRound(AggregationScheme scheme, int group) {
        List<Share> shares = new ArrayList<>(group);
        for (int m = 0; m < group; m++) {
            shares.add(scheme.meter(m).share(7, 100 + m));
        }
        return shares;
    }

    /** Runs every line once as warm-up, then {@code trials} alternating trials; prints and returns medians. */
    private static double[] report(String title, List<Line> lines, int trials, long millis) {
        double[][] rates = new double[lines.size()][trials];
        for (Line line : lines) {
            rate(line.op(), Math.max(200, millis / 2));
        }
        for (int t = 0; t < trials; t++) {
            for (int l = 0; l < lines.size(); l++) {
                rates[l][t] = rate(lines.get(l).op(), millis);
            }
        }
        double[] medians = new double[lines.size()];
        System.out.println(title);
        System.out.printf(Locale.ROOT, "  %-48s %14s %12s %9s%n", "", "ops/s", "us/op", "ratio");
        for (int l = 0; l < lines.size(); l++) {
            double[] sorted = rates[l].clone();
            Arrays.sort(sorted);
            medians[l] = sorted[trials / 2];
            System.out.printf(Locale.ROOT, "  %-48s %,14.1f %,12.2f %9.3g%n", lines.get(l).label(), medians[l],
                    1e6 / medians[l], medians[l] / medians[0]);
        }
        System.out.println();
        return medians;
    }

    /** Operations per second of {@code op} over about {@code millis} ms (at least one operation). */
    private static double rate(Op op, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        long start = System.nanoTime();
        long count = 0;
        long acc = 0;
        do {
            acc += op.run(count++);
        } while (System.nanoTime() < deadline);
        long elapsed = System.nanoTime() - start;
        sink ^= acc;
        return count * 1e9 / elapsed;
    }
}
