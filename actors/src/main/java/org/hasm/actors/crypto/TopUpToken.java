package org.hasm.actors.crypto;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A prepaid credit token in the manner of STS (IEC 62055-41): meter-specific, single use, with the amount
 * authenticated. Authenticated with HMAC-SHA256 under the meter's {@link TopUpKey} over
 * {@link #authenticatedBytes()}:
 * <pre>
 * domain  "hasm/top-up-token/v1"
 * text    meter id        the token is worth nothing at another meter
 * i64     token id        1, 2, ... per meter, the STS "TID": single use is enforced on it ({@link TokenIdWindow})
 * i64     amount          in cents, &gt; 0
 * i64     issued at       epoch seconds
 * </pre>
 * The wire form ({@link #encode()}) is the authenticated encoding followed by the 32-byte MAC.
 *
 * <p>Why a MAC and not a central-system signature: STS tokens are symmetric (decoder key), short enough to
 * be typed in, and verified by the cheapest processor in the meter; and a stolen top-up key is bounded to
 * one meter and to money, which the central system reconciles (it knows every token it vended), whereas a
 * stolen switch key would be a safety problem, which is why switch commands are signed instead.
 */
public record TopUpToken(String meterId, long tokenId, long amountCents, long issuedAtEpochSeconds, byte[] mac) {
    static final String DOMAIN = "hasm/top-up-token/v1";

    public TopUpToken {
        Objects.requireNonNull(meterId, "meterId");
        if (meterId.isEmpty() || tokenId < 1 || amountCents < 1) {
            throw new IllegalArgumentException("invalid token fields");
        }
        mac = mac.clone();
    }

    /** The exact bytes the MAC covers. */
    public byte[] authenticatedBytes() {
        return authenticatedBytes(meterId, tokenId, amountCents, issuedAtEpochSeconds);
    }

    static byte[] authenticatedBytes(String meterId, long tokenId, long amountCents, long issuedAt) {
        return new CanonicalEncoding.Writer(DOMAIN)
                .text(meterId).i64(tokenId).i64(amountCents).i64(issuedAt)
                .toBytes();
    }

    /** Authenticated encoding ‖ MAC. */
    public byte[] encode() {
        return CanonicalEncoding.withTrailer(authenticatedBytes(), mac);
    }

    /** The token in {@code wire}, or empty if it is not a well-formed one. Says nothing about the MAC. */
    public static Optional<TopUpToken> decode(byte[] wire) {
        try {
            CanonicalEncoding.Reader in = new CanonicalEncoding.Reader(wire, DOMAIN);
            String meterId = in.text();
            long tokenId = in.i64();
            long amount = in.i64();
            long issuedAt = in.i64();
            byte[] mac = in.trailer(TopUpKey.MAC_LENGTH);
            if (meterId.isEmpty() || tokenId < 1 || amount < 1) {
                return Optional.empty();
            }
            return Optional.of(new TopUpToken(meterId, tokenId, amount, issuedAt, mac));
        } catch (CanonicalEncoding.Malformed e) {
            return Optional.empty();
        }
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopUpToken t && meterId.equals(t.meterId) && tokenId == t.tokenId
                && amountCents == t.amountCents && issuedAtEpochSeconds == t.issuedAtEpochSeconds
                && Arrays.equals(mac, t.mac);
    }

    @Override
    public int hashCode() {
        return Objects.hash(meterId, tokenId, amountCents, issuedAtEpochSeconds, Arrays.hashCode(mac));
    }

    @Override
    public String toString() {
        return "TopUpToken[#" + tokenId + " for " + meterId + ", " + amountCents + " cents at "
                + issuedAtEpochSeconds + "]";
    }
}
