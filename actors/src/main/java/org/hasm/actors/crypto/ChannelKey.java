package org.hasm.actors.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * A meter's AES-128 key for the meter ↔ central-system channel (DLMS security suite 1 "global unicast
 * encryption key"). One per meter (P15); held by that meter's CsSecurity and by the central system.
 *
 * <p>A distinct type per key purpose ({@link TopUpKey}, {@link ChannelKey}, ...) so that one key cannot
 * be passed where another is meant. {@link #toString()} never shows the key.
 */
public final class ChannelKey {
    public static final int LENGTH = 16;

    private final byte[] key;

    private ChannelKey(byte[] key) {
        this.key = key;
    }

    public static ChannelKey generate(SecureRandom random) {
        byte[] key = new byte[LENGTH];
        random.nextBytes(key);
        return new ChannelKey(key);
    }

    /** A key read back from provisioning or storage; the bytes are copied. */
    public static ChannelKey of(byte[] key) {
        if (key.length != LENGTH) {
            throw new IllegalArgumentException("an AES-128 key has " + LENGTH + " bytes, not " + key.length);
        }
        return new ChannelKey(key.clone());
    }

    /** The raw key, for provisioning and for the owner's private storage only. */
    public byte[] toBytes() {
        return key.clone();
    }

    KeyParameter parameter() {
        return new KeyParameter(key);
    }

    @Override
    public String toString() {
        return "ChannelKey[redacted]";
    }
}
