package org.hasm.actors.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * A meter's X25519 key pair (RFC 7748) for zero-sum masking. The meter's DcSecurity keeps the private
 * half; the public half goes into the group roster, which the central system certifies and distributes.
 * Every pair of meters then derives a shared key that nobody else knows, as in Kursawe et al. (PETS 2011),
 * so no dealer, concentrator or central system can remove a meter's masks.
 */
public final class MaskingKeys {
    public static final int PUBLIC_KEY_LENGTH = X25519PublicKeyParameters.KEY_SIZE;

    private final X25519PrivateKeyParameters privateKey;

    private MaskingKeys(X25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
    }

    public static MaskingKeys generate(SecureRandom random) {
        return new MaskingKeys(new X25519PrivateKeyParameters(random));
    }

    /** Keys restored from the meter's private storage. */
    public static MaskingKeys of(byte[] privateKey) {
        if (privateKey.length != X25519PrivateKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("an X25519 private key has 32 bytes, not " + privateKey.length);
        }
        return new MaskingKeys(new X25519PrivateKeyParameters(privateKey));
    }

    /** The roster entry for this meter. */
    public byte[] publicKey() {
        return privateKey.generatePublicKey().getEncoded();
    }

    /** The raw private key, for the meter's private storage only. */
    public byte[] privateKeyBytes() {
        return privateKey.getEncoded();
    }

    /**
     * The X25519 shared secret with {@code otherPublicKey}. Bouncy Castle refuses an all-zero result
     * (a low-order point in the roster) with an {@link IllegalStateException}.
     */
    byte[] agree(byte[] otherPublicKey) {
        byte[] secret = new byte[X25519PrivateKeyParameters.SECRET_SIZE];
        privateKey.generateSecret(new X25519PublicKeyParameters(otherPublicKey), secret, 0);
        return secret;
    }

    @Override
    public String toString() {
        return "MaskingKeys[redacted]";
    }
}
