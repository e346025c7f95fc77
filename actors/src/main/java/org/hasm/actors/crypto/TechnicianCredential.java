package org.hasm.actors.crypto;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A central-system-signed, time-limited permission for one technician at one meter, Ed25519 (RFC 8032)
 * over {@link #signedBytes()}:
 * <pre>
 * domain  "hasm/technician-credential/v1"
 * text    technician id
 * text    meter id
 * i64     not before      epoch seconds, inclusive
 * i64     not after       epoch seconds, exclusive (not before &lt; not after)
 * u8      scope           {@link TechnicianScope#code()}
 * </pre>
 * The wire form ({@link #encode()}) is the signed encoding followed by the 64-byte signature.
 */
public record TechnicianCredential(String technicianId, String meterId, long notBeforeEpochSeconds,
                                   long notAfterEpochSeconds, TechnicianScope scope, byte[] signature) {
    static final String DOMAIN = "hasm/technician-credential/v1";

    public TechnicianCredential {
        Objects.requireNonNull(technicianId, "technicianId");
        Objects.requireNonNull(meterId, "meterId");
        Objects.requireNonNull(scope, "scope");
        if (technicianId.isEmpty() || meterId.isEmpty() || notAfterEpochSeconds <= notBeforeEpochSeconds) {
            throw new IllegalArgumentException("invalid credential fields");
        }
        signature = signature.clone();
    }

    /** The exact bytes the signature covers. */
    public byte[] signedBytes() {
        return signedBytes(technicianId, meterId, notBeforeEpochSeconds, notAfterEpochSeconds, scope);
    }

    static byte[] signedBytes(String technicianId, String meterId, long notBefore, long notAfter,
                              TechnicianScope scope) {
        return new CanonicalEncoding.Writer(DOMAIN)
                .text(technicianId).text(meterId).i64(notBefore).i64(notAfter).u8(scope.code())
                .toBytes();
    }

    /** Signed encoding ‖ signature. */
    public byte[] encode() {
        return CanonicalEncoding.withTrailer(signedBytes(), signature);
    }

    /** The credential in {@code wire}, or empty if it is not well-formed. Says nothing about the signature. */
    public static Optional<TechnicianCredential> decode(byte[] wire) {
        try {
            CanonicalEncoding.Reader in = new CanonicalEncoding.Reader(wire, DOMAIN);
            String technicianId = in.text();
            String meterId = in.text();
            long notBefore = in.i64();
            long notAfter = in.i64();
            TechnicianScope scope = TechnicianScope.fromCode(in.u8());
            byte[] signature = in.trailer(SigningKeys.SIGNATURE_LENGTH);
            if (scope == null || technicianId.isEmpty() || meterId.isEmpty() || notAfter <= notBefore) {
                return Optional.empty();
            }
            return Optional.of(new TechnicianCredential(technicianId, meterId, notBefore, notAfter, scope,
                    signature));
        } catch (CanonicalEncoding.Malformed e) {
            return Optional.empty();
        }
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TechnicianCredential c && technicianId.equals(c.technicianId)
                && meterId.equals(c.meterId) && notBeforeEpochSeconds == c.notBeforeEpochSeconds
                && notAfterEpochSeconds == c.notAfterEpochSeconds && scope == c.scope
                && Arrays.equals(signature, c.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(technicianId, meterId, notBeforeEpochSeconds, notAfterEpochSeconds, scope,
                Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "TechnicianCredential[" + technicianId + " at " + meterId + ", " + scope + ", ["
                + notBeforeEpochSeconds + ", " + notAfterEpochSeconds + ")]";
    }
}
