package org.hasm.actors.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** The public half of {@link SigningKeys}: all a meter needs to check the central system's signatures. */
public final class VerifyingKey {
    public static final int LENGTH = Ed25519PublicKeyParameters.KEY_SIZE;

    private final Ed25519PublicKeyParameters key;

    VerifyingKey(Ed25519PublicKeyParameters key) {
        this.key = key;
    }

    /** A key read back from provisioning; refuses encodings that are not a valid Ed25519 point. */
    public static VerifyingKey of(byte[] encoded) {
        if (encoded.length != LENGTH) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, not " + encoded.length);
        }
        return new VerifyingKey(new Ed25519PublicKeyParameters(encoded));
    }

    public byte[] toBytes() {
        return key.getEncoded();
    }

    /** Whether {@code signature} is this key's signature over {@code message}. False for any bad input. */
    boolean verifies(byte[] message, byte[] signature) {
        if (signature == null || signature.length != SigningKeys.SIGNATURE_LENGTH) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifyingKey other && Arrays.equals(toBytes(), other.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    @Override
    public String toString() {
        return "VerifyingKey[" + HexFormat.of().formatHex(toBytes()) + "]";
    }
}
