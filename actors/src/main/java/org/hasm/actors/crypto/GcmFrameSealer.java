package org.hasm.actors.crypto;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.GCMModeCipher;

/**
 * Seals frames from one sender on one meter's channel (DLMS/COSEM security suite 1, AES-128-GCM).
 * The layout is documented in {@link GcmFrame}.
 *
 * <p>Each frame takes the next value of the sender's {@link InvocationCounter}; see there for what must
 * be persisted so that no IV is ever used twice. Not thread-safe: owned by one module.
 */
public final class GcmFrameSealer {
    private final KeyedGcm gcm;
    private final SystemTitle sender;
    private final InvocationCounter counter;

    /**
     * @param key     the meter's channel key
     * @param sender  the title of whoever seals: the meter's own title on the meter, the central system's
     *                title at the central system (never the meter's, or the two directions would share IVs)
     * @param counter the sender's counter for this key, restored from storage
     */
    public GcmFrameSealer(ChannelKey key, SystemTitle sender, InvocationCounter counter) {
        this.gcm = new KeyedGcm(key, true);
        this.sender = sender;
        this.counter = counter;
    }

    /** The sealed frame carrying {@code plaintext}. */
    public byte[] seal(FrameKind kind, byte[] plaintext) {
        if (plaintext.length > GcmFrame.MAX_PLAINTEXT) {
            throw new IllegalArgumentException("plaintext of " + plaintext.length + " bytes exceeds "
                    + GcmFrame.MAX_PLAINTEXT);
        }
        byte[] frame = new byte[GcmFrame.HEADER_LENGTH + plaintext.length + GcmFrame.TAG_LENGTH];
        GcmFrame.writeHeader(frame, kind, sender, counter.next());
        GCMModeCipher cipher = gcm.forFrame(frame);
        int written = cipher.processBytes(plaintext, 0, plaintext.length, frame, GcmFrame.HEADER_LENGTH);
        try {
            cipher.doFinal(frame, GcmFrame.HEADER_LENGTH + written);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("GCM encryption cannot fail this way", e);
        }
        return frame;
    }

    /** The counter value to persist (the last one sealed). */
    public long lastUsedCounter() {
        return counter.lastUsed();
    }
}
