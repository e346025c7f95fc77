package org.hasm.actors.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;

/**
 * What operators sign at the central system's command gateway (P16): a bulk request naming the exact
 * meter set, and approvals by other operators bound to that request's digest, so an approval cannot be
 * moved to another set. Ed25519 over {@link CanonicalEncoding} bytes, like {@link SignedCommand}.
 *
 * <pre>
 * request   domain "hasm/operator-request/v1", text operator, text request id, i64 issued at,
 *           u8 command kind, i64 meter count, text meter id...
 * approval  domain "hasm/operator-approval/v1", text operator, text request id, blob SHA-256(request bytes)
 * </pre>
 */
public final class OperatorSigning {
    private static final String REQUEST_DOMAIN = "hasm/operator-request/v1";
    private static final String APPROVAL_DOMAIN = "hasm/operator-approval/v1";

    private OperatorSigning() {
    }

    /** A bulk command (switch-off of {@code meterIds}) as one operator asked for it. */
    public record BulkRequest(String operatorId, String requestId, long issuedAtEpochSeconds, CommandKind kind,
                              List<String> meterIds, byte[] signature) {
        public BulkRequest {
            Objects.requireNonNull(operatorId, "operatorId");
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(kind, "kind");
            meterIds = List.copyOf(meterIds);
            signature = signature.clone();
        }

        public byte[] signedBytes() {
            CanonicalEncoding.Writer w = new CanonicalEncoding.Writer(REQUEST_DOMAIN)
                    .text(operatorId).text(requestId).i64(issuedAtEpochSeconds).u8(kind.code()).i64(meterIds.size());
            meterIds.forEach(w::text);
            return w.toBytes();
        }

        /** SHA-256 of {@link #signedBytes()}: what approvals sign. */
        public byte[] digest() {
            return sha256(signedBytes());
        }

        public boolean verifies(VerifyingKey operatorKey) {
            return operatorKey.verifies(signedBytes(), signature);
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }
    }

    /** A second operator's approval of one request. */
    public record Approval(String operatorId, String requestId, byte[] requestDigest, byte[] signature) {
        public Approval {
            Objects.requireNonNull(operatorId, "operatorId");
            Objects.requireNonNull(requestId, "requestId");
            requestDigest = requestDigest.clone();
            signature = signature.clone();
        }

        public byte[] signedBytes() {
            return new CanonicalEncoding.Writer(APPROVAL_DOMAIN).text(operatorId).text(requestId).blob(requestDigest).toBytes();
        }

        /** Whether this operator signed it and it approves exactly {@code request}. */
        public boolean approves(BulkRequest request, VerifyingKey operatorKey) {
            return requestId.equals(request.requestId()) && MessageDigest.isEqual(requestDigest, request.digest())
                    && operatorKey.verifies(signedBytes(), signature);
        }

        @Override
        public byte[] requestDigest() {
            return requestDigest.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }
    }

    public static BulkRequest request(SigningKeys operatorKey, String operatorId, String requestId, long issuedAtEpochSeconds,
                                      CommandKind kind, List<String> meterIds) {
        BulkRequest unsigned = new BulkRequest(operatorId, requestId, issuedAtEpochSeconds, kind, meterIds, new byte[0]);
        return new BulkRequest(operatorId, requestId, issuedAtEpochSeconds, kind, meterIds, operatorKey.sign(unsigned.signedBytes()));
    }

    public static Approval approval(SigningKeys operatorKey, String operatorId, BulkRequest request) {
        Approval unsigned = new Approval(operatorId, request.requestId(), request.digest(), new byte[0]);
        return new Approval(operatorId, request.requestId(), request.digest(), operatorKey.sign(unsigned.signedBytes()));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
