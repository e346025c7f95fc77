package org.hasm.actors.crypto;

/**
 * The sender's DLMS invocation counter: the second half of every GCM IV (4 bytes, big-endian).
 *
 * <p>GCM fails catastrophically if one key ever encrypts two frames under one IV (the authentication key
 * can then be recovered and tags forged). The IV is unique as long as this counter never repeats for a
 * given key, so:
 * <ul>
 *   <li>values start at 1 and only go up; 0 means "nothing sent yet";</li>
 *   <li>the owner persists {@link #lastUsed()} (OperationalParameters segment) <em>before</em> the frame
 *       carrying {@link #next()} leaves the meter, or reserves a block ahead and persists the block end,
 *       so that a crash can skip values but never reuse one;</li>
 *   <li>after 2<sup>32</sup> − 1 frames {@link #next()} throws: the channel key must be replaced, the
 *       counter must not wrap.</li>
 * </ul>
 * Not thread-safe: owned by the one module that seals frames.
 */
public final class InvocationCounter {
    /** The largest value a 4-byte counter can carry. */
    public static final long MAX = 0xFFFF_FFFFL;

    private long lastUsed;

    private InvocationCounter(long lastUsed) {
        this.lastUsed = lastUsed;
    }

    /** A counter for a key that has never sealed a frame. */
    public static InvocationCounter fresh() {
        return new InvocationCounter(0);
    }

    /** A counter restored from storage: the next value handed out is {@code lastUsed + 1}. */
    public static InvocationCounter resumingAfter(long lastUsed) {
        if (lastUsed < 0 || lastUsed > MAX) {
            throw new IllegalArgumentException("invocation counter out of range: " + lastUsed);
        }
        return new InvocationCounter(lastUsed);
    }

    /** The value for the next frame; never returns a value twice. */
    public long next() {
        if (lastUsed == MAX) {
            throw new IllegalStateException("invocation counter exhausted: the channel key must be replaced");
        }
        return ++lastUsed;
    }

    /** The value to persist. */
    public long lastUsed() {
        return lastUsed;
    }
}
