package org.hasm.loadtest;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.hasm.actors.crypto.FrameKind;
import org.hasm.actors.crypto.GcmFrameSealer;
import org.hasm.actors.crypto.InvocationCounter;
import org.hasm.actors.crypto.SystemTitle;
import org.hasm.actors.meter.CsSecurity;
import org.hasm.actors.meter.CsSecurityKeys;

/**
 * One real meter's sending side: its CsSecurity keys as provisioned, sealing a quarter-hour electricity
 * reading per frame with the meter's title and an invocation counter that only goes up. The frame is what
 * CsSecurity seals (the same plaintext, sealer and key); the meter's 15 other parts are not started, and
 * the counter is not reserved in a segment first, because this meter never restarts.
 */
public final class LoadMeter {
    static final long QUARTER_HOUR = 900_000L;

    private final String meterId;
    private final GcmFrameSealer sealer;
    private final SplittableRandom random;
    private long intervalStart;

    LoadMeter(CsSecurityKeys keys, long firstInterval, long seed) {
        this(keys, firstInterval, seed, 0);
    }

    /**
     * A meter whose account already took frames up to counter {@code lastCounter} (a central node that outlives
     * load tests): it goes on from there, one quarter hour per counter, so its frames are fresh, not replays.
     */
    LoadMeter(CsSecurityKeys keys, long firstInterval, long seed, long lastCounter) {
        this.meterId = keys.meterId();
        this.sealer = new GcmFrameSealer(keys.channelKey(), SystemTitle.ofMeter(meterId),
                lastCounter == 0 ? InvocationCounter.fresh() : InvocationCounter.resumingAfter(lastCounter));
        this.random = new SplittableRandom(seed);
        this.intervalStart = firstInterval + lastCounter * QUARTER_HOUR;
    }

    public String meterId() {
        return meterId;
    }

    /**
     * The next interval's reading, sealed. A tampered frame has one bit of its tag flipped after sealing, as a
     * forger on the way would: the central system must refuse it (BAD_TAG) and the next frame still counts.
     */
    byte[] nextReading(boolean tamper) {
        long start = intervalStart;
        intervalStart += QUARTER_HOUR;
        String reading = CsSecurity.electricityReading(start, start + QUARTER_HOUR, 20 + random.nextInt(400), 0);
        byte[] frame = sealer.seal(FrameKind.READINGS, reading.getBytes(StandardCharsets.UTF_8));
        if (tamper) {
            frame[frame.length - 1] ^= 0x01;
        }
        return frame;
    }
}
