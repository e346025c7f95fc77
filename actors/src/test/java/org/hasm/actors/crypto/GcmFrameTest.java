package org.hasm.actors.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GcmFrameTest {
    private static final SystemTitle METER_A = SystemTitle.ofMeter("meter-A");
    private static final SystemTitle METER_B = SystemTitle.ofMeter("meter-B");
    private static final SystemTitle CENTRAL = SystemTitle.ofCentralSystem("cs-1");
    private static final byte[] READING =
            "interval 2016-01-07T10:15 import=312Wh export=0Wh".getBytes(StandardCharsets.UTF_8);

    private final SecureRandom random = Fixtures.random("gcm frame test");
    private final ChannelKey keyA = ChannelKey.generate(random);
    private final ChannelKey keyB = ChannelKey.generate(random);

    private GcmFrameSealer meterA() {
        return new GcmFrameSealer(keyA, METER_A, InvocationCounter.fresh());
    }

    /** The central system's opener for frames from meter A. */
    private GcmFrameOpener centralForA() {
        return new GcmFrameOpener(keyA, METER_A);
    }

    private static Opened.Reason refusal(Opened opened) {
        return assertInstanceOf(Opened.Refused.class, opened).reason();
    }

    @Test
    void sealedFrameOpensToTheSamePlaintextKindAndCounter() {
        byte[] frame = meterA().seal(FrameKind.READINGS, READING);

        Opened.Ok ok = assertInstanceOf(Opened.Ok.class, centralForA().open(frame));
        assertEquals(FrameKind.READINGS, ok.kind());
        assertEquals(1, ok.counter());
        assertArrayEquals(READING, ok.plaintext());
    }

    @Test
    void frameLayoutIsKindTitleCounterCiphertextTag() {
        byte[] frame = meterA().seal(FrameKind.EVENT, READING);

        assertEquals(1 + 8 + 4 + READING.length + 16, frame.length);
        assertEquals(FrameKind.EVENT.code(), frame[0]);
        assertArrayEquals(METER_A.toBytes(), Arrays.copyOfRange(frame, 1, 9));
        assertArrayEquals(new byte[] {0, 0, 0, 1}, Arrays.copyOfRange(frame, 9, 13));
        assertNotEquals(-1, Arrays.mismatch(READING, Arrays.copyOfRange(frame, 13, 13 + READING.length)),
                "the payload travels encrypted");
    }

    @Test
    void frameIsStandardAesGcmThatTheJdksOwnProviderOpens() throws Exception {
        // an implementation other than Bouncy Castle's: the IV is title ‖ counter, the AAD the 13-byte header
        byte[] frame = meterA().seal(FrameKind.READINGS, READING);
        javax.crypto.Cipher jdk = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        jdk.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(keyA.toBytes(), "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, Arrays.copyOfRange(frame, 1, 13)));
        jdk.updateAAD(frame, 0, 13);

        assertArrayEquals(READING, jdk.doFinal(frame, 13, frame.length - 13));
    }

    @Test
    void aSealerKeyedOnceSealsEveryLaterFrameAsAFreshlyKeyedCipherWould() throws Exception {
        // the sealer keys its cipher for the first frame only; the JDK's provider keys afresh for each frame
        GcmFrameSealer sealer = meterA();
        for (int i = 1; i <= 5; i++) {
            byte[] plaintext = ("reading " + i).getBytes(StandardCharsets.UTF_8);
            byte[] frame = sealer.seal(FrameKind.READINGS, plaintext);
            javax.crypto.Cipher jdk = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
            jdk.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(keyA.toBytes(), "AES"),
                    new javax.crypto.spec.GCMParameterSpec(128, Arrays.copyOfRange(frame, 1, 13)));
            jdk.updateAAD(frame, 0, 13);
            assertArrayEquals(plaintext, jdk.doFinal(frame, 13, frame.length - 13), "frame " + i);
        }
    }

    @Test
    void anOpenerThatRefusedAForgeryOpensTheNextGenuineFrame() {
        // one keyed cipher serves every frame: a failed tag check must leave nothing behind for the next
        GcmFrameSealer sealer = meterA();
        GcmFrameOpener opener = centralForA();
        byte[] genuine = sealer.seal(FrameKind.READINGS, READING);
        byte[] forged = genuine.clone();
        forged[20] ^= 1;
        assertEquals(Opened.Reason.BAD_TAG, refusal(opener.open(forged)));
        Opened.Ok ok = assertInstanceOf(Opened.Ok.class, opener.open(genuine));
        assertArrayEquals(READING, ok.plaintext());
        Opened.Ok next = assertInstanceOf(Opened.Ok.class, opener.open(sealer.seal(FrameKind.READINGS, READING)));
        assertEquals(2, next.counter());
    }

    @Test
    void emptyPlaintextRoundTrips() {
        byte[] frame = meterA().seal(FrameKind.ACKNOWLEDGEMENT, new byte[0]);
        Opened.Ok ok = assertInstanceOf(Opened.Ok.class, new GcmFrameOpener(keyA, METER_A).open(frame));
        assertEquals(0, ok.plaintext().length);
    }

    @Test
    void replayedFrameIsRefused() {
        byte[] frame = meterA().seal(FrameKind.READINGS, READING);
        GcmFrameOpener central = centralForA();

        assertInstanceOf(Opened.Ok.class, central.open(frame));
        assertEquals(Opened.Reason.REPLAYED, refusal(central.open(frame)));
    }

    @Test
    void counterMustStrictlyIncreaseSoReorderedFramesAreRefused() {
        GcmFrameSealer sealer = meterA();
        byte[] first = sealer.seal(FrameKind.READINGS, READING);
        byte[] second = sealer.seal(FrameKind.READINGS, READING);
        byte[] third = sealer.seal(FrameKind.READINGS, READING);
        GcmFrameOpener central = centralForA();

        assertInstanceOf(Opened.Ok.class, central.open(first));
        assertInstanceOf(Opened.Ok.class, central.open(third));
        assertEquals(Opened.Reason.REPLAYED, refusal(central.open(second)));
        assertEquals(3, central.lastAcceptedCounter());
    }

    @Test
    void lastAcceptedCounterSurvivesExportAndImport() {
        GcmFrameSealer sealer = meterA();
        byte[] old = sealer.seal(FrameKind.READINGS, READING);
        GcmFrameOpener before = centralForA();
        assertInstanceOf(Opened.Ok.class, before.open(old));

        GcmFrameOpener restored = new GcmFrameOpener(keyA, METER_A, before.lastAcceptedCounter());

        assertEquals(Opened.Reason.REPLAYED, refusal(restored.open(old)));
        assertInstanceOf(Opened.Ok.class, restored.open(sealer.seal(FrameKind.READINGS, READING)));
    }

    @Test
    void sealerResumedFromItsPersistedCounterNeverReusesOne() {
        GcmFrameSealer sealer = meterA();
        sealer.seal(FrameKind.READINGS, READING);
        sealer.seal(FrameKind.READINGS, READING);

        GcmFrameSealer resumed = new GcmFrameSealer(keyA, METER_A,
                InvocationCounter.resumingAfter(sealer.lastUsedCounter()));
        byte[] next = resumed.seal(FrameKind.READINGS, READING);

        assertEquals(3, GcmFrame.readCounter(next));
    }

    @Test
    void exhaustedCounterRefusesToSealRatherThanWrap() {
        GcmFrameSealer sealer = new GcmFrameSealer(keyA, METER_A,
                InvocationCounter.resumingAfter(InvocationCounter.MAX - 1));
        byte[] last = sealer.seal(FrameKind.READINGS, READING);

        assertEquals(InvocationCounter.MAX, GcmFrame.readCounter(last));
        assertThrows(IllegalStateException.class, () -> sealer.seal(FrameKind.READINGS, READING));
    }

    @Test
    void frameFromAnotherMeterIsRefusedAsWrongMeter() {
        byte[] fromB = new GcmFrameSealer(keyB, METER_B, InvocationCounter.fresh())
                .seal(FrameKind.READINGS, READING);

        assertEquals(Opened.Reason.WRONG_METER, refusal(centralForA().open(fromB)));
    }

    @Test
    void frameSealedUnderAnotherMetersKeyIsRefusedEvenWithTheRightTitle() {
        byte[] underKeyB = new GcmFrameSealer(keyB, METER_A, InvocationCounter.fresh())
                .seal(FrameKind.READINGS, READING);

        assertEquals(Opened.Reason.BAD_TAG, refusal(centralForA().open(underKeyB)));
    }

    @Test
    void commandForMeterBIsRefusedAtMeterA() {
        byte[] commandForB = new GcmFrameSealer(keyB, CENTRAL, InvocationCounter.fresh())
                .seal(FrameKind.COMMAND, READING);

        assertEquals(Opened.Reason.BAD_TAG, refusal(new GcmFrameOpener(keyA, CENTRAL).open(commandForB)));
    }

    @Test
    void meterFrameReflectedBackToTheMeterIsRefused() {
        byte[] sentByA = meterA().seal(FrameKind.COMMAND_RESULT, READING);

        assertEquals(Opened.Reason.WRONG_METER, refusal(new GcmFrameOpener(keyA, CENTRAL).open(sentByA)));
    }

    @Test
    void bothDirectionsOfOneKeyNeverShareAnIv() {
        byte[] up = meterA().seal(FrameKind.READINGS, READING);
        byte[] down = new GcmFrameSealer(keyA, CENTRAL, InvocationCounter.fresh()).seal(FrameKind.COMMAND, READING);

        assertEquals(GcmFrame.readCounter(up), GcmFrame.readCounter(down));
        assertNotEquals(-1, Arrays.mismatch(up, 1, 13, down, 1, 13), "IV = title ‖ counter must differ");
    }

    @Test
    void everySingleBitFlipIsRefusedAndInCiphertextOrTagAsBadTag() {
        byte[] frame = meterA().seal(FrameKind.READINGS, READING);
        GcmFrameOpener central = centralForA();
        Set<Opened.Reason> headerReasons = EnumSet.noneOf(Opened.Reason.class);

        for (int bit = 0; bit < frame.length * 8; bit++) {
            byte[] flipped = frame.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            Opened.Reason reason = refusal(central.open(flipped));
            if (bit / 8 >= GcmFrame.HEADER_LENGTH) {
                assertEquals(Opened.Reason.BAD_TAG, reason, "bit " + bit);
            } else {
                headerReasons.add(reason);
            }
        }
        assertTrue(headerReasons.containsAll(EnumSet.of(Opened.Reason.WRONG_METER, Opened.Reason.BAD_TAG)),
                "a changed title or counter is caught: " + headerReasons);
        assertInstanceOf(Opened.Ok.class, central.open(frame), "refusals leave the opener's state alone");
    }

    @Test
    void everyTruncationIsRefusedWithoutException() {
        byte[] frame = meterA().seal(FrameKind.READINGS, READING);
        GcmFrameOpener central = centralForA();

        for (int length = 0; length < frame.length; length++) {
            Opened.Reason reason = refusal(central.open(Arrays.copyOf(frame, length)));
            Opened.Reason expected = length < GcmFrame.MIN_LENGTH ? Opened.Reason.MALFORMED : Opened.Reason.BAD_TAG;
            assertEquals(expected, reason, "length " + length);
        }
        assertEquals(Opened.Reason.MALFORMED, refusal(central.open(null)));
    }

    @Test
    void randomBytesAreRefusedWithoutException() {
        GcmFrameOpener central = centralForA();
        for (int i = 0; i < 2_000; i++) {
            byte[] junk = new byte[random.nextInt(120)];
            random.nextBytes(junk);
            refusal(central.open(junk));
        }
    }

    @Test
    void randomBodiesBehindAPlausibleHeaderFailTheTag() {
        GcmFrameOpener central = centralForA();
        for (int i = 0; i < 500; i++) {
            byte[] junk = new byte[GcmFrame.MIN_LENGTH + random.nextInt(100)];
            random.nextBytes(junk);
            GcmFrame.writeHeader(junk, FrameKind.READINGS, METER_A, 1 + random.nextInt(1000));
            assertEquals(Opened.Reason.BAD_TAG, refusal(central.open(junk)));
        }
        assertEquals(0, central.lastAcceptedCounter());
    }

    @Test
    void forgedFrameWithAHugeCounterDoesNotLockOutGenuineFrames() {
        byte[] forged = meterA().seal(FrameKind.READINGS, READING);
        GcmFrame.writeHeader(forged, FrameKind.READINGS, METER_A, InvocationCounter.MAX);
        GcmFrameOpener central = centralForA();

        assertEquals(Opened.Reason.BAD_TAG, refusal(central.open(forged)));
        assertInstanceOf(Opened.Ok.class, central.open(meterA().seal(FrameKind.READINGS, READING)));
    }

    @Test
    void unknownKindOrCounterZeroIsMalformed() {
        byte[] frame = meterA().seal(FrameKind.READINGS, READING);
        byte[] unknownKind = frame.clone();
        unknownKind[0] = (byte) 0x7F;
        byte[] counterZero = frame.clone();
        GcmFrame.writeHeader(counterZero, FrameKind.READINGS, METER_A, 0);

        assertEquals(Opened.Reason.MALFORMED, refusal(centralForA().open(unknownKind)));
        assertEquals(Opened.Reason.MALFORMED, refusal(centralForA().open(counterZero)));
    }

    @Test
    void oversizedPlaintextIsRefusedBySealerAndOversizedFrameByOpener() {
        assertThrows(IllegalArgumentException.class,
                () -> meterA().seal(FrameKind.READINGS, new byte[GcmFrame.MAX_PLAINTEXT + 1]));
        byte[] huge = new byte[GcmFrame.MAX_LENGTH + 1];
        GcmFrame.writeHeader(huge, FrameKind.READINGS, METER_A, 1);
        assertEquals(Opened.Reason.MALFORMED, refusal(centralForA().open(huge)));
    }

    @Test
    void systemTitlesAreStableEightBytesWithTheRolePrefix() {
        assertEquals(METER_A, SystemTitle.ofMeter("meter-A"));
        assertNotEquals(METER_A, METER_B);
        assertArrayEquals("HSM".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(METER_A.toBytes(), 3));
        assertArrayEquals("HCS".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(CENTRAL.toBytes(), 3));
        assertEquals(8, METER_A.toBytes().length);
    }
}
