package org.hasm.persistence;

import java.util.HexFormat;
import java.util.Optional;

/**
 * The values of a segment's {@code acknowledged} and {@code released} entries: {@code up-to=N}, and for a
 * release also {@code hash=HEX}, the hash of entry N. After a release the first entry kept (N + 1) must
 * link to that hash, and the release entry itself sits in the chain after it, so deleting more than was
 * released, or forging a release, is caught like any other edit ({@link ChainVerifier}).
 */
final class Release {
    private static final String UP_TO = "up-to=";
    private static final String HASH = " hash=";

    private Release() {
    }

    static String acknowledged(long upTo) {
        return UP_TO + upTo;
    }

    static String released(long upTo, byte[] hashOfEntry) {
        return UP_TO + upTo + HASH + HexFormat.of().formatHex(hashOfEntry);
    }

    static long upTo(String value) {
        if (!value.startsWith(UP_TO)) {
            return 0;
        }
        int end = value.indexOf(' ');
        try {
            return Long.parseLong(value.substring(UP_TO.length(), end < 0 ? value.length() : end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static Optional<byte[]> hash(String value) {
        int at = value.indexOf(HASH);
        try {
            return at < 0 ? Optional.empty() : Optional.of(HexFormat.of().parseHex(value.substring(at + HASH.length())));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
