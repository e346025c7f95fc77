package org.hasm.actors.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * The 8-byte DLMS/COSEM system title of a party on the meter ↔ central-system channel (DLMS security
 * suite 1, IEC 62056-5-3): 3 bytes of manufacturer identification followed by 5 bytes of serial number.
 * It is the first half of every GCM IV, so it must identify the <em>sender</em> of a frame.
 *
 * <p>Meters use the prefix {@code HSM}, central systems {@code HCS}. Both directions of a meter's channel
 * share one {@link ChannelKey}, as in DLMS; because a meter title and a central-system title can never be
 * equal, the IVs of the two directions never collide.
 *
 * <p>The serial part is the first 5 bytes of SHA-256 over the meter id. A title is an identifier, not a
 * secret. Two meters may collide on it (birthday bound near 2<sup>20</sup> meters); that is harmless for
 * GCM because IVs only need to be unique per key and keys are per meter, and it costs only a less precise
 * refusal reason ({@link Opened.Reason#BAD_TAG} instead of {@link Opened.Reason#WRONG_METER}).
 */
public final class SystemTitle {
    public static final int LENGTH = 8;
    private static final byte[] METER_MANUFACTURER = {'H', 'S', 'M'};
    private static final byte[] CENTRAL_MANUFACTURER = {'H', 'C', 'S'};

    private final byte[] bytes;

    private SystemTitle(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The title a meter puts in the frames it sends. */
    public static SystemTitle ofMeter(String meterId) {
        return derive(METER_MANUFACTURER, "meter", meterId);
    }

    /** The title a central system puts in the frames it sends to meters. */
    public static SystemTitle ofCentralSystem(String centralSystemId) {
        return derive(CENTRAL_MANUFACTURER, "central-system", centralSystemId);
    }

    /** A title read back from storage; the bytes are copied. */
    public static SystemTitle of(byte[] title) {
        if (title.length != LENGTH) {
            throw new IllegalArgumentException("a system title has " + LENGTH + " bytes, not " + title.length);
        }
        return new SystemTitle(title.clone());
    }

    private static SystemTitle derive(byte[] manufacturer, String role, String id) {
        byte[] name = ("hasm/system-title/v1/" + role + "/" + id).getBytes(StandardCharsets.UTF_8);
        SHA256Digest sha256 = new SHA256Digest();
        sha256.update(name, 0, name.length);
        byte[] digest = new byte[sha256.getDigestSize()];
        sha256.doFinal(digest, 0);
        byte[] title = new byte[LENGTH];
        System.arraycopy(manufacturer, 0, title, 0, manufacturer.length);
        System.arraycopy(digest, 0, title, manufacturer.length, LENGTH - manufacturer.length);
        return new SystemTitle(title);
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    void writeTo(byte[] out, int offset) {
        System.arraycopy(bytes, 0, out, offset, LENGTH);
    }

    /** Whether {@code frame[offset .. offset+8)} is this title (public data: no constant time needed). */
    boolean isAt(byte[] frame, int offset) {
        return Arrays.equals(bytes, 0, LENGTH, frame, offset, offset + LENGTH);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SystemTitle other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "SystemTitle[" + HexFormat.of().formatHex(bytes) + "]";
    }
}
