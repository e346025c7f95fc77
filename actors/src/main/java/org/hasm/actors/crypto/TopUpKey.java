package org.hasm.actors.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * A meter's HMAC-SHA256 key for top-up tokens: the analogue of the STS decoder key (IEC 62055-41).
 * One per meter (P15); held by that meter's CsSecurity and by the vending service.
 */
public final class TopUpKey {
    public static final int LENGTH = 32;
    public static final int MAC_LENGTH = 32;

    private final byte[] key;

    private TopUpKey(byte[] key) {
        this.key = key;
    }

    public static TopUpKey generate(SecureRandom random) {
        byte[] key = new byte[LENGTH];
        random.nextBytes(key);
        return new TopUpKey(key);
    }

    /** A key read back from provisioning or storage; the bytes are copied. */
    public static TopUpKey of(byte[] key) {
        if (key.length != LENGTH) {
            throw new IllegalArgumentException("a top-up key has " + LENGTH + " bytes, not " + key.length);
        }
        return new TopUpKey(key.clone());
    }

    /** The raw key, for provisioning and for the owner's private storage only. */
    public byte[] toBytes() {
        return key.clone();
    }

    byte[] mac(byte[] message) {
        HMac hmac = new HMac(new SHA256Digest());
        hmac.init(new KeyParameter(key));
        hmac.update(message, 0, message.length);
        byte[] mac = new byte[MAC_LENGTH];
        hmac.doFinal(mac, 0);
        return mac;
    }

    @Override
    public String toString() {
        return "TopUpKey[redacted]";
    }
}
