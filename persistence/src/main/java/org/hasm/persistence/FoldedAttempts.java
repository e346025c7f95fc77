package org.hasm.persistence;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Attempts that were counted instead of logged one by one: how many, the first and last time, and a
 * SHA-256 over each attempt's time and detail in order, so the summary entry that replaces them still
 * commits to exactly what was folded.
 */
public final class FoldedAttempts {
    private long count;
    private long first;
    private long last;
    private final MessageDigest digest;

    public FoldedAttempts() {
        this.digest = sha256();
    }

    private FoldedAttempts(FoldedAttempts other) {
        count = other.count;
        first = other.first;
        last = other.last;
        try {
            digest = (MessageDigest) other.digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }

    /** A copy to work on until a write is confirmed: a failed write must not leave its counts behind. */
    public FoldedAttempts copy() {
        return new FoldedAttempts(this);
    }

    public void add(long time, String detail) {
        if (count == 0) {
            first = time;
        }
        count++;
        last = time;
        byte[] d = detail.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(12).putLong(time).putInt(d.length).array());
        digest.update(d);
    }

    public long count() {
        return count;
    }

    /** "count=... first=... last=... sha256=..."; finishes the digest, so call it once. */
    public String summary() {
        return new Summary(count, first, last, HexFormat.of().formatHex(digest.digest())).text();
    }

    /** The summary as entries carry it: how many attempts, from when to when, and their digest. */
    public record Summary(long count, long first, long last, String sha256) {
        private static final Pattern TEXT = Pattern.compile("count=(\\d+) first=(-?\\d+) last=(-?\\d+) sha256=(\\S*)");

        public String text() {
            return "count=" + count + " first=" + first + " last=" + last + " sha256=" + sha256;
        }

        /** The summary inside an entry's text (a folded-refusals or quota-suppressed entry), if there is one. */
        public static Optional<Summary> in(String text) {
            Matcher m = TEXT.matcher(text);
            return m.find() ? Optional.of(new Summary(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                    Long.parseLong(m.group(3)), m.group(4))) : Optional.empty();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
