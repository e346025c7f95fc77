package org.hasm.actors.crypto;

/**
 * The meter side (CsSecurity) of {@link TechnicianCredential}: meter id, then signature, then validity
 * window against the meter's clock. Stateless; never throws for any credential. The owner logs every
 * check to the SecurityLog (P11), valid or not.
 */
public final class TechnicianCredentialVerifier {
    private final String meterId;
    private final VerifyingKey centralSystemKey;

    public TechnicianCredentialVerifier(String meterId, VerifyingKey centralSystemKey) {
        this.meterId = meterId;
        this.centralSystemKey = centralSystemKey;
    }

    /** Whether {@code credential} grants access at {@code nowEpochSeconds}. */
    public CredentialVerdict check(TechnicianCredential credential, long nowEpochSeconds) {
        if (!meterId.equals(credential.meterId())) {
            return CredentialVerdict.WRONG_METER;
        }
        if (!centralSystemKey.verifies(credential.signedBytes(), credential.signature())) {
            return CredentialVerdict.BAD_SIGNATURE;
        }
        if (nowEpochSeconds < credential.notBeforeEpochSeconds()) {
            return CredentialVerdict.NOT_YET_VALID;
        }
        if (nowEpochSeconds >= credential.notAfterEpochSeconds()) {
            return CredentialVerdict.EXPIRED;
        }
        return CredentialVerdict.VALID;
    }
}
