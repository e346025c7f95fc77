package org.hasm.actors.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A command from the central system, signed with Ed25519 (RFC 8032) over {@link #signedBytes()}.
 *
 * <p>Signed encoding ({@link CanonicalEncoding}):
 * <pre>
 * domain  "hasm/command/v1"
 * text    meter id            binds the command to one meter: it fails at any other
 * i64     sequence number     1, 2, ... per meter and key; the verifier refuses anything not above the last
 * i64     issued at           epoch seconds, for the logs and for freshness policies
 * u8      command kind        {@link CommandKind#code()}
 * blob    payload             at most {@value #MAX_PAYLOAD} bytes, opaque here
 * </pre>
 * The wire form ({@link #encode()}) is the signed encoding followed by the 64-byte signature.
 */
public record SignedCommand(String meterId, long sequence, long issuedAtEpochSeconds, CommandKind kind,
                            byte[] payload, byte[] signature) {
    static final String DOMAIN = "hasm/command/v1";
    public static final int MAX_PAYLOAD = 16 * 1024;

    public SignedCommand {
        Objects.requireNonNull(meterId, "meterId");
        Objects.requireNonNull(kind, "kind");
        if (meterId.isEmpty() || sequence < 1 || payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("invalid command fields");
        }
        payload = payload.clone();
        signature = signature.clone();
    }

    static SignedCommand sign(SigningKeys keys, String meterId, long sequence, long issuedAtEpochSeconds,
                              CommandKind kind, byte[] payload) {
        byte[] body = signedBytes(meterId, sequence, issuedAtEpochSeconds, kind, payload);
        return new SignedCommand(meterId, sequence, issuedAtEpochSeconds, kind, payload, keys.sign(body));
    }

    /** The exact bytes the signature covers. */
    public byte[] signedBytes() {
        return signedBytes(meterId, sequence, issuedAtEpochSeconds, kind, payload);
    }

    private static byte[] signedBytes(String meterId, long sequence, long issuedAt, CommandKind kind,
                                      byte[] payload) {
        return new CanonicalEncoding.Writer(DOMAIN)
                .text(meterId).i64(sequence).i64(issuedAt).u8(kind.code()).blob(payload)
                .toBytes();
    }

    /** Signed encoding ‖ signature. */
    public byte[] encode() {
        return CanonicalEncoding.withTrailer(signedBytes(), signature);
    }

    /** The command in {@code wire}, or empty if it is not a well-formed one. Says nothing about the signature. */
    public static Optional<SignedCommand> decode(byte[] wire) {
        try {
            CanonicalEncoding.Reader in = new CanonicalEncoding.Reader(wire, DOMAIN);
            String meterId = in.text();
            long sequence = in.i64();
            long issuedAt = in.i64();
            CommandKind kind = CommandKind.fromCode(in.u8());
            byte[] payload = in.blob(MAX_PAYLOAD);
            byte[] signature = in.trailer(SigningKeys.SIGNATURE_LENGTH);
            if (kind == null || meterId.isEmpty() || sequence < 1) {
                return Optional.empty();
            }
            return Optional.of(new SignedCommand(meterId, sequence, issuedAt, kind, payload, signature));
        } catch (CanonicalEncoding.Malformed e) {
            return Optional.empty();
        }
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedCommand c && meterId.equals(c.meterId) && sequence == c.sequence
                && issuedAtEpochSeconds == c.issuedAtEpochSeconds && kind == c.kind
                && Arrays.equals(payload, c.payload) && Arrays.equals(signature, c.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(meterId, sequence, issuedAtEpochSeconds, kind, Arrays.hashCode(payload),
                Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "SignedCommand[" + kind + " #" + sequence + " for " + meterId + " at " + issuedAtEpochSeconds
                + ", payload " + payload.length + " bytes, signature "
                + HexFormat.of().formatHex(signature, 0, Math.min(8, signature.length)) + "…]";
    }
}
