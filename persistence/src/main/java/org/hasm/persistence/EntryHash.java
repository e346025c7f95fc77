package org.hasm.persistence;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hash chain of a log segment: {@code hash = SHA-256(canonical bytes of the entry)}, where the
 * canonical bytes include the previous entry's hash, the meter and the segment. Specified in
 * docs/log-chain.md; any change here is a format change.
 *
 * <pre>
 * text   "hasm/log-entry/v1"          domain separation
 * text   meter id                     an entry moved to another meter no longer verifies
 * text   segment (journal name)       nor does one moved to another segment
 * i64    sequence number              1, 2, 3, ... with no gaps
 * i64    time                         epoch milliseconds, meter clock
 * text   kind
 * text   key                          empty for log entries
 * text   value
 * bytes  previous hash                32 bytes; 32 zero bytes before the first entry
 * </pre>
 * {@code text} is a 4-byte big-endian length and the UTF-8 bytes; {@code i64} is 8 bytes big-endian.
 * SHA-256 is the JDK's: the persistence module needs no crypto provider for a standard hash.
 */
public final class EntryHash {
    public static final int LENGTH = 32;
    private static final String DOMAIN = "hasm/log-entry/v1";

    private EntryHash() {
    }

    /** The hash before the first entry. */
    public static byte[] genesis() {
        return new byte[LENGTH];
    }

    public static byte[] of(String meterId, String segment, long seq, long time, String kind, String key, String value,
                            byte[] previous) {
        if (previous.length != LENGTH) {
            throw new IllegalArgumentException("a previous hash has " + LENGTH + " bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        text(out, DOMAIN);
        text(out, meterId);
        text(out, segment);
        out.writeBytes(ByteBuffer.allocate(16).putLong(seq).putLong(time).array());
        text(out, kind);
        text(out, key);
        text(out, value);
        out.writeBytes(previous);
        return SHA_256.get().digest(out.toByteArray()); // digest() also resets it for the next entry
    }

    private static void text(ByteArrayOutputStream out, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(utf8.length).array());
        out.writeBytes(utf8);
    }

    /**
     * One digest per thread: {@code MessageDigest.getInstance} looks the algorithm up among the security
     * providers each time, which was 4.1 % of the JVM's samples in the journal benchmark (the hashing
     * itself 0.4 %).
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(EntryHash::sha256);

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
