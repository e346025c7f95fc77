package org.hasm.actors.crypto;

/** The outcome of {@link CommandVerifier#verify(SignedCommand)}; only {@link #ACCEPTED} may take effect. */
public enum CommandVerdict {
    ACCEPTED,
    /** Addressed to another meter. */
    WRONG_METER,
    /** A kind this verifier's key does not cover (a switch command at CsSecurity, or the reverse). */
    KIND_NOT_ALLOWED,
    /** The signature does not verify under this verifier's key. */
    BAD_SIGNATURE,
    /** Genuine, but its sequence number is not above the last accepted one. */
    REPLAYED
}
