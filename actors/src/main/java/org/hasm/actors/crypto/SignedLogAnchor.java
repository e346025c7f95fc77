package org.hasm.actors.crypto;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A meter's signed statement that entry {@code seq} of one of its log segments has hash {@code head}
 * (docs/log-chain.md). The central system verifies it and keeps it in its own journal, so a segment
 * later cut short or rewritten and re-chained on the meter no longer matches.
 *
 * <p>Signed encoding ({@link CanonicalEncoding}), Ed25519 with the meter module's log key:
 * <pre>
 * domain  "hasm/log-anchor/v1"
 * text    meter id
 * text    segment (journal name)
 * i64     seq
 * i64     time          meter clock, epoch milliseconds
 * blob    head          32-byte SHA-256 chain head
 * </pre>
 * Wire form: the signed encoding followed by the 64-byte signature.
 */
public record SignedLogAnchor(String meterId, String segment, long seq, long time, byte[] head, byte[] signature) {
    static final String DOMAIN = "hasm/log-anchor/v1";
    private static final int HEAD_LENGTH = 32;

    public SignedLogAnchor {
        Objects.requireNonNull(meterId, "meterId");
        Objects.requireNonNull(segment, "segment");
        if (head.length != HEAD_LENGTH || seq < 1) {
            throw new IllegalArgumentException("invalid anchor fields");
        }
        head = head.clone();
        signature = signature.clone();
    }

    /** Signs with the log key of the module that keeps the segment. */
    public static SignedLogAnchor sign(SigningKeys logKey, String meterId, String segment, long seq, long time, byte[] head) {
        byte[] body = signedBytes(meterId, segment, seq, time, head);
        return new SignedLogAnchor(meterId, segment, seq, time, head, logKey.sign(body));
    }

    public boolean verifies(VerifyingKey logKey) {
        return logKey.verifies(signedBytes(meterId, segment, seq, time, head), signature);
    }

    private static byte[] signedBytes(String meterId, String segment, long seq, long time, byte[] head) {
        return new CanonicalEncoding.Writer(DOMAIN).text(meterId).text(segment).i64(seq).i64(time).blob(head).toBytes();
    }

    public byte[] encode() {
        return CanonicalEncoding.withTrailer(signedBytes(meterId, segment, seq, time, head), signature);
    }

    /** The anchor in {@code wire}, or empty if it is not a well-formed one. Says nothing about the signature. */
    public static Optional<SignedLogAnchor> decode(byte[] wire) {
        try {
            CanonicalEncoding.Reader in = new CanonicalEncoding.Reader(wire, DOMAIN);
            String meterId = in.text();
            String segment = in.text();
            long seq = in.i64();
            long time = in.i64();
            byte[] head = in.blob(HEAD_LENGTH);
            byte[] signature = in.trailer(SigningKeys.SIGNATURE_LENGTH);
            if (head.length != HEAD_LENGTH || seq < 1) {
                return Optional.empty();
            }
            return Optional.of(new SignedLogAnchor(meterId, segment, seq, time, head, signature));
        } catch (CanonicalEncoding.Malformed e) {
            return Optional.empty();
        }
    }

    @Override
    public byte[] head() {
        return head.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedLogAnchor a && meterId.equals(a.meterId) && segment.equals(a.segment) && seq == a.seq
                && time == a.time && Arrays.equals(head, a.head) && Arrays.equals(signature, a.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(meterId, segment, seq, time, Arrays.hashCode(head));
    }

    @Override
    public String toString() {
        return "SignedLogAnchor[" + meterId + "/" + segment + " #" + seq + "]";
    }
}
