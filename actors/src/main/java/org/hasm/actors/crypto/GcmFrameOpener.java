package org.hasm.actors.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.GCMModeCipher;

/**
 * Opens frames from one expected sender on one meter's channel (DLMS/COSEM security suite 1,
 * AES-128-GCM; layout in {@link GcmFrame}), with anti-replay: a frame is accepted only if its invocation
 * counter is strictly greater than that of the last accepted frame.
 *
 * <p>Checks, in order; the first that fails is the refusal reason:
 * <ol>
 *   <li>{@link Opened.Reason#MALFORMED}: length outside [29, 29 + 64 KiB], unknown kind, counter 0;</li>
 *   <li>{@link Opened.Reason#WRONG_METER}: the sender title is not the expected one;</li>
 *   <li>{@link Opened.Reason#BAD_TAG}: GCM authentication fails (Bouncy Castle compares the tag in
 *       constant time; unverified plaintext is wiped and never returned);</li>
 *   <li>{@link Opened.Reason#REPLAYED}: authentic but not newer. Checked after the tag so that
 *       "replayed" in the SecurityLog always means a genuine frame seen again, never a forgery.</li>
 * </ol>
 * The last accepted counter moves only on success, so a forged frame with a huge counter cannot lock out
 * genuine ones. It must be persisted by the owner (OperationalParameters) after each accepted frame and
 * restored with {@link #GcmFrameOpener(ChannelKey, SystemTitle, long)}. Never throws for any input.
 * Not thread-safe: owned by one module.
 */
public final class GcmFrameOpener {
    private final KeyedGcm gcm;
    private final SystemTitle expectedSender;
    private long lastAcceptedCounter;

    /** An opener that has not accepted any frame yet. */
    public GcmFrameOpener(ChannelKey key, SystemTitle expectedSender) {
        this(key, expectedSender, 0);
    }

    /** An opener restored from storage; only counters above {@code lastAcceptedCounter} are accepted. */
    public GcmFrameOpener(ChannelKey key, SystemTitle expectedSender, long lastAcceptedCounter) {
        if (lastAcceptedCounter < 0 || lastAcceptedCounter > InvocationCounter.MAX) {
            throw new IllegalArgumentException("counter out of range: " + lastAcceptedCounter);
        }
        this.gcm = new KeyedGcm(key, false);
        this.expectedSender = expectedSender;
        this.lastAcceptedCounter = lastAcceptedCounter;
    }

    public Opened open(byte[] frame) {
        if (frame == null || frame.length < GcmFrame.MIN_LENGTH || frame.length > GcmFrame.MAX_LENGTH) {
            return new Opened.Refused(Opened.Reason.MALFORMED);
        }
        FrameKind kind = FrameKind.fromCode(frame[GcmFrame.KIND_OFFSET]);
        long counter = GcmFrame.readCounter(frame);
        if (kind == null || counter == 0) {
            return new Opened.Refused(Opened.Reason.MALFORMED);
        }
        if (!expectedSender.isAt(frame, GcmFrame.TITLE_OFFSET)) {
            return new Opened.Refused(Opened.Reason.WRONG_METER);
        }
        byte[] plaintext = decrypt(frame);
        if (plaintext == null) {
            return new Opened.Refused(Opened.Reason.BAD_TAG);
        }
        if (counter <= lastAcceptedCounter) {
            return new Opened.Refused(Opened.Reason.REPLAYED);
        }
        lastAcceptedCounter = counter;
        return new Opened.Ok(kind, counter, plaintext);
    }

    /**
     * The sender's system title as the frame's header claims it, unauthenticated, for routing a frame to
     * the opener of that sender (a concentrator relaying to the central system); empty if the frame is too
     * short to be one. Only {@link #open} says whether the claim is true.
     */
    public static java.util.Optional<SystemTitle> claimedSender(byte[] frame) {
        if (frame == null || frame.length < GcmFrame.MIN_LENGTH) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(SystemTitle.of(
                java.util.Arrays.copyOfRange(frame, GcmFrame.TITLE_OFFSET, GcmFrame.TITLE_OFFSET + SystemTitle.LENGTH)));
    }

    /** The value to persist: the counter of the last accepted frame, 0 if none. */
    public long lastAcceptedCounter() {
        return lastAcceptedCounter;
    }

    /** The plaintext, or {@code null} if the tag does not verify. */
    private byte[] decrypt(byte[] frame) {
        GCMModeCipher cipher = gcm.forFrame(frame);
        int sealedLength = frame.length - GcmFrame.HEADER_LENGTH;
        byte[] plaintext = new byte[cipher.getOutputSize(sealedLength)];
        try {
            int written = cipher.processBytes(frame, GcmFrame.HEADER_LENGTH, sealedLength, plaintext, 0);
            cipher.doFinal(plaintext, written);
            return plaintext;
        } catch (InvalidCipherTextException e) {
            Arrays.fill(plaintext, (byte) 0);
            return null;
        }
    }
}
