package org.hasm.actors.crypto;

/** The central system's side of {@link TechnicianCredential}: signs with its command key. */
public final class TechnicianCredentialIssuer {
    private final SigningKeys centralSystemKey;

    public TechnicianCredentialIssuer(SigningKeys centralSystemKey) {
        this.centralSystemKey = centralSystemKey;
    }

    public TechnicianCredential issue(String technicianId, String meterId, long notBeforeEpochSeconds,
                                      long notAfterEpochSeconds, TechnicianScope scope) {
        byte[] signature = centralSystemKey.sign(TechnicianCredential.signedBytes(technicianId, meterId,
                notBeforeEpochSeconds, notAfterEpochSeconds, scope));
        return new TechnicianCredential(technicianId, meterId, notBeforeEpochSeconds, notAfterEpochSeconds,
                scope, signature);
    }
}
