package org.hasm.actors.crypto;

/** The outcome of {@link TechnicianCredentialVerifier#check}; only {@link #VALID} grants access. */
public enum CredentialVerdict {
    VALID,
    /** Issued for another meter. */
    WRONG_METER,
    /** The signature does not verify under the central system's key. */
    BAD_SIGNATURE,
    /** Genuine, but {@code now} is before its not-before time. */
    NOT_YET_VALID,
    /** Genuine, but {@code now} is at or after its not-after time. */
    EXPIRED
}
