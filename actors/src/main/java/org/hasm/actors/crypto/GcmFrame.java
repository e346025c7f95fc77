package org.hasm.actors.crypto;

/**
 * The layout of a sealed frame on the meter ↔ central-system channel, modelled on the DLMS/COSEM
 * general-glo-ciphering APDU of security suite 1 (IEC 62056-5-3), with fixed-width fields:
 *
 * <pre>
 * offset  length  field
 *      0       1  kind                 {@link FrameKind#code()}
 *      1       8  system title         of the sender ({@link SystemTitle})
 *      9       4  invocation counter   big-endian, 1 .. 2^32-1 ({@link InvocationCounter})
 *     13       n  ciphertext           AES-128-GCM of the n-byte plaintext, 0 &lt;= n &lt;= {@value #MAX_PLAINTEXT}
 *   13+n      16  tag                  full 128-bit GCM tag
 * </pre>
 *
 * <ul>
 *   <li>IV (12 bytes) = system title ‖ invocation counter, as in DLMS suite 1.</li>
 *   <li>Associated data = the 13 header bytes exactly as transmitted, so kind, sender and counter are all
 *       authenticated. DLMS also puts a security-control byte and an authentication key in the AAD; the
 *       key adds nothing once the GCM key is per meter, and this layout has a single security policy
 *       (always authenticated and encrypted), so neither is carried.</li>
 *   <li>The recipient is not in the frame: it is implied by the key, which belongs to one meter.</li>
 *   <li>The tag is 16 bytes, not DLMS's truncated 12, since nothing here is that short of bandwidth.</li>
 * </ul>
 */
final class GcmFrame {
    static final int KIND_OFFSET = 0;
    static final int TITLE_OFFSET = 1;
    static final int COUNTER_OFFSET = TITLE_OFFSET + SystemTitle.LENGTH;
    static final int HEADER_LENGTH = COUNTER_OFFSET + 4;
    static final int TAG_LENGTH = 16;
    static final int MAX_PLAINTEXT = 64 * 1024;
    static final int MIN_LENGTH = HEADER_LENGTH + TAG_LENGTH;
    static final int MAX_LENGTH = MIN_LENGTH + MAX_PLAINTEXT;
    private static final int IV_LENGTH = SystemTitle.LENGTH + 4;

    private GcmFrame() {
    }

    static void writeHeader(byte[] frame, FrameKind kind, SystemTitle sender, long counter) {
        frame[KIND_OFFSET] = kind.code();
        sender.writeTo(frame, TITLE_OFFSET);
        frame[COUNTER_OFFSET] = (byte) (counter >>> 24);
        frame[COUNTER_OFFSET + 1] = (byte) (counter >>> 16);
        frame[COUNTER_OFFSET + 2] = (byte) (counter >>> 8);
        frame[COUNTER_OFFSET + 3] = (byte) counter;
    }

    static long readCounter(byte[] frame) {
        return ((frame[COUNTER_OFFSET] & 0xFFL) << 24)
                | ((frame[COUNTER_OFFSET + 1] & 0xFFL) << 16)
                | ((frame[COUNTER_OFFSET + 2] & 0xFFL) << 8)
                | (frame[COUNTER_OFFSET + 3] & 0xFFL);
    }

    /** The 12-byte IV of the frame whose header is in {@code frame[0 .. 13)}: title ‖ counter. */
    static byte[] iv(byte[] frame) {
        byte[] iv = new byte[IV_LENGTH];
        System.arraycopy(frame, TITLE_OFFSET, iv, 0, IV_LENGTH);
        return iv;
    }

    /** The associated data of a frame: its whole 13-byte header. */
    static byte[] associatedData(byte[] frame) {
        byte[] associatedData = new byte[HEADER_LENGTH];
        System.arraycopy(frame, 0, associatedData, 0, HEADER_LENGTH);
        return associatedData;
    }
}
