package org.hasm.actors.crypto;

/**
 * The vending side (central system / top-up service) for one meter: hands out token ids in increasing
 * order and MACs each token with the meter's {@link TopUpKey}. The owner persists
 * {@link #lastIssuedTokenId()} before a token leaves, so a restart never reissues an id.
 * Not thread-safe.
 */
public final class TopUpTokenIssuer {
    private final String meterId;
    private final TopUpKey key;
    private long lastIssuedTokenId;

    public TopUpTokenIssuer(String meterId, TopUpKey key, long lastIssuedTokenId) {
        if (lastIssuedTokenId < 0) {
            throw new IllegalArgumentException("token id out of range: " + lastIssuedTokenId);
        }
        this.meterId = meterId;
        this.key = key;
        this.lastIssuedTokenId = lastIssuedTokenId;
    }

    public TopUpToken issue(long amountCents, long issuedAtEpochSeconds) {
        if (amountCents < 1) {
            throw new IllegalArgumentException("a top-up adds credit: " + amountCents + " cents");
        }
        long tokenId = Math.addExact(lastIssuedTokenId, 1);
        byte[] mac = key.mac(TopUpToken.authenticatedBytes(meterId, tokenId, amountCents, issuedAtEpochSeconds));
        lastIssuedTokenId = tokenId;
        return new TopUpToken(meterId, tokenId, amountCents, issuedAtEpochSeconds, mac);
    }

    /** The value to persist. */
    public long lastIssuedTokenId() {
        return lastIssuedTokenId;
    }
}
