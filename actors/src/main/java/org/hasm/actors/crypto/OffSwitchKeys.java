package org.hasm.actors.crypto;

import java.security.SecureRandom;

/**
 * One meter's off-switch key pair (the paper, section IV: "each smart meter has off-switch keys which
 * are independent of the off-switch keys on any other smart meter"). The private half never leaves the
 * central system; the meter gets only {@link #publicKey()}. A side channel on one meter therefore yields
 * nothing that could sign a switch command, for that meter or any other (P15).
 */
public final class OffSwitchKeys {
    private final String meterId;
    private final SigningKeys keys;

    private OffSwitchKeys(String meterId, SigningKeys keys) {
        this.meterId = meterId;
        this.keys = keys;
    }

    public static OffSwitchKeys generate(String meterId, SecureRandom random) {
        return new OffSwitchKeys(meterId, SigningKeys.generate(random));
    }

    /** Keys restored from the central system's key store. */
    public static OffSwitchKeys of(String meterId, byte[] privateKey) {
        return new OffSwitchKeys(meterId, SigningKeys.of(privateKey));
    }

    public String meterId() {
        return meterId;
    }

    /** What the meter is provisioned with. */
    public OffSwitchPublicKey publicKey() {
        return new OffSwitchPublicKey(meterId, keys.verifyingKey());
    }

    /** The raw private key, for the central system's key store only. */
    public byte[] privateKeyBytes() {
        return keys.privateKeyBytes();
    }

    /** A switch command for this meter; other kinds are signed with the {@link CommandSigner}. */
    public SignedCommand sign(long sequence, long issuedAtEpochSeconds, CommandKind kind, byte[] payload) {
        if (!kind.isSwitchCommand()) {
            throw new IllegalArgumentException(kind + " is not a switch command");
        }
        return SignedCommand.sign(keys, meterId, sequence, issuedAtEpochSeconds, kind, payload);
    }

    @Override
    public String toString() {
        return "OffSwitchKeys[" + meterId + ", " + keys.verifyingKey() + "]";
    }
}
