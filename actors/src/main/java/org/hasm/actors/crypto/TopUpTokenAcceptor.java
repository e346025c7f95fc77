package org.hasm.actors.crypto;

import org.bouncycastle.util.Arrays;

/**
 * The meter side of top-up tokens (IEC 62055-41 STS style): accepts each genuine token for this meter
 * once. Checks in order: meter id, MAC (compared in constant time), token-id window
 * ({@link TokenIdWindow}). The window changes only when a token is accepted; the owner persists
 * {@link #windowState()} in the same step that adds the credit. Never throws for any token.
 * Not thread-safe: owned by one module.
 */
public final class TopUpTokenAcceptor {
    private final String meterId;
    private final TopUpKey key;
    private final TokenIdWindow window;

    public TopUpTokenAcceptor(String meterId, TopUpKey key, TokenIdWindow window) {
        this.meterId = meterId;
        this.key = key;
        this.window = window;
    }

    public TopUpVerdict accept(TopUpToken token) {
        if (!meterId.equals(token.meterId())) {
            return TopUpVerdict.WRONG_METER;
        }
        if (!Arrays.constantTimeAreEqual(key.mac(token.authenticatedBytes()), token.mac())) {
            return TopUpVerdict.BAD_MAC;
        }
        TopUpVerdict verdict = window.check(token.tokenId());
        if (verdict == TopUpVerdict.ACCEPTED) {
            window.markUsed(token.tokenId());
        }
        return verdict;
    }

    /** The value to persist. */
    public TokenIdWindow.State windowState() {
        return window.state();
    }
}
