package org.hasm.actors.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 key pair (RFC 8032) held by the central system: its fleet-wide command key, or one meter's
 * off-switch key inside {@link OffSwitchKeys}. Meters only ever get the {@link VerifyingKey}.
 *
 * <p>Why Ed25519 rather than ECDSA P-256 (which DLMS suite 1 names): signing is deterministic, so a weak
 * or repeated random source cannot leak the private key the way a repeated ECDSA nonce does, and this
 * project deliberately runs on seeded, repeatable randomness in simulations; signatures have one fixed
 * 64-byte encoding (no DER, no malleable (r, s) / (r, -s) pair), which keeps the canonical formats simple;
 * Bouncy Castle's verifier rejects non-canonical encodings. Swapping to P-256 would touch only this class
 * and {@link VerifyingKey}.
 */
public final class SigningKeys {
    public static final int SIGNATURE_LENGTH = Ed25519PrivateKeyParameters.SIGNATURE_SIZE;

    private final Ed25519PrivateKeyParameters privateKey;
    private final VerifyingKey verifyingKey;

    private SigningKeys(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.verifyingKey = new VerifyingKey(privateKey.generatePublicKey());
    }

    public static SigningKeys generate(SecureRandom random) {
        return new SigningKeys(new Ed25519PrivateKeyParameters(random));
    }

    /** Keys restored from the central system's key store (the 32-byte RFC 8032 private key). */
    public static SigningKeys of(byte[] privateKey) {
        if (privateKey.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 private key has 32 bytes, not " + privateKey.length);
        }
        return new SigningKeys(new Ed25519PrivateKeyParameters(privateKey));
    }

    public VerifyingKey verifyingKey() {
        return verifyingKey;
    }

    /** The raw private key, for the central system's key store only. */
    public byte[] privateKeyBytes() {
        return privateKey.getEncoded();
    }

    byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    @Override
    public String toString() {
        return "SigningKeys[public=" + verifyingKey + "]";
    }
}
