package org.hasm.actors.crypto;

/** The outcome of {@link TopUpTokenAcceptor#accept(TopUpToken)}; only {@link #ACCEPTED} adds credit. */
public enum TopUpVerdict {
    ACCEPTED,
    /** Vended for another meter. */
    WRONG_METER,
    /** The MAC does not verify: a changed field (amount, id, ...) or a token made without this meter's key. */
    BAD_MAC,
    /** Genuine, but its token id was used already. */
    ALREADY_USED,
    /** Genuine, but its token id is below the window, where use can no longer be tracked. */
    TOO_OLD
}
