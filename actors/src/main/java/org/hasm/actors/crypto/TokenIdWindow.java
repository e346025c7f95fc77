package org.hasm.actors.crypto;

import java.util.Arrays;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Which token ids a meter has already used, in bounded memory: the STS token-identifier rule
 * (IEC 62055-41), shaped like the IPsec anti-replay window (RFC 4303 section 3.4.3).
 *
 * <p>With {@code highest} the largest id ever accepted and {@code size} the window size, an id is
 * <ul>
 *   <li>{@link TopUpVerdict#TOO_OLD} if {@code id <= highest - size}: it can no longer be told apart from a
 *       used one, so it is refused;</li>
 *   <li>{@link TopUpVerdict#ALREADY_USED} if it is inside the window and was used;</li>
 *   <li>usable otherwise, so tokens bought together may be entered in any order.</li>
 * </ul>
 * The state is exported as {@link State} (highest id and the used ids inside the window, at most
 * {@code size} of them) for the CreditStore segment. Not thread-safe.
 */
public final class TokenIdWindow {
    public static final int DEFAULT_SIZE = 64;

    /** The persistent form: the largest id accepted (0 if none) and the used ids above {@code highest - size}. */
    public record State(int size, long highest, long[] usedIds) {
        public State {
            usedIds = usedIds.clone();
        }

        @Override
        public long[] usedIds() {
            return usedIds.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && size == s.size && highest == s.highest
                    && Arrays.equals(usedIds, s.usedIds);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * size + Long.hashCode(highest)) + Arrays.hashCode(usedIds);
        }

        /** "size;highest;id,id,...", the form a segment stores. */
        public String encode() {
            StringBuilder b = new StringBuilder().append(size).append(';').append(highest).append(';');
            for (int i = 0; i < usedIds.length; i++) {
                b.append(i == 0 ? "" : ",").append(usedIds[i]);
            }
            return b.toString();
        }

        /** The inverse of {@link #encode}; throws IllegalArgumentException on anything else. */
        public static State decode(String encoded) {
            String[] parts = encoded.split(";", -1);
            if (parts.length != 3) {
                throw new IllegalArgumentException("not a token window: " + encoded);
            }
            long[] ids = parts[2].isEmpty() ? new long[0]
                    : java.util.Arrays.stream(parts[2].split(",")).mapToLong(Long::parseLong).toArray();
            return new State(Integer.parseInt(parts[0]), Long.parseLong(parts[1]), ids);
        }

        @Override
        public String toString() {
            return "TokenIdWindow.State[size=" + size + ", highest=" + highest + ", used="
                    + Arrays.toString(usedIds) + "]";
        }
    }

    private final int size;
    private long highest;
    private final NavigableSet<Long> used = new TreeSet<>();

    private TokenIdWindow(int size, long highest) {
        if (size < 1 || highest < 0) {
            throw new IllegalArgumentException("window size " + size + ", highest " + highest);
        }
        this.size = size;
        this.highest = highest;
    }

    /** A window for a meter that has never accepted a token. */
    public static TokenIdWindow empty(int size) {
        return new TokenIdWindow(size, 0);
    }

    public static TokenIdWindow restore(State state) {
        TokenIdWindow window = new TokenIdWindow(state.size(), state.highest());
        for (long id : state.usedIds()) {
            if (id > state.highest() || id <= state.highest() - state.size()) {
                throw new IllegalArgumentException("used id " + id + " outside the window of " + state);
            }
            window.used.add(id);
        }
        return window;
    }

    /** Whether {@code tokenId} may be used now: {@link TopUpVerdict#ACCEPTED} or why not. Changes nothing. */
    TopUpVerdict check(long tokenId) {
        if (tokenId <= highest - size) {
            return TopUpVerdict.TOO_OLD;
        }
        return used.contains(tokenId) ? TopUpVerdict.ALREADY_USED : TopUpVerdict.ACCEPTED;
    }

    /** Records {@code tokenId} as used; call only after {@link #check} said {@link TopUpVerdict#ACCEPTED}. */
    void markUsed(long tokenId) {
        used.add(tokenId);
        highest = Math.max(highest, tokenId);
        used.headSet(highest - size, true).clear();
    }

    public State state() {
        return new State(size, highest, used.stream().mapToLong(Long::longValue).toArray());
    }
}
