package org.hasm.actors.link.dlms;

import java.nio.ByteBuffer;

/**
 * One APDU in the TCP/UDP WRAPPER of IEC 62056-47 (DLMS/COSEM over IP): an 8-byte header, version 1,
 * source wPort, destination wPort and the APDU's length, each 2 bytes big-endian, then the APDU. A client's
 * wPort is its SAP (16 the public client, 1 the management client); the server's addresses the meter.
 */
public record WrapperFrame(int source, int destination, byte[] apdu) {
    public static final int VERSION = 1;
    public static final int HEADER = 8;
    private static final int MAX_FIELD = 0xFFFF;

    public WrapperFrame {
        if (source < 0 || source > MAX_FIELD || destination < 0 || destination > MAX_FIELD) {
            throw new IllegalArgumentException("a wPort is 0-65535");
        }
        if (apdu.length > MAX_FIELD) {
            throw new IllegalArgumentException("a WRAPPER carries at most 65,535 bytes, not " + apdu.length);
        }
        apdu = apdu.clone();
    }

    @Override
    public byte[] apdu() {
        return apdu.clone();
    }

    public byte[] encode() {
        return ByteBuffer.allocate(HEADER + apdu.length).putShort((short) VERSION).putShort((short) source)
                .putShort((short) destination).putShort((short) apdu.length).put(apdu).array();
    }

    /** What {@link #read} found at the head of a stream's bytes. */
    public sealed interface Read {
        /** Not a whole frame yet: read more; nothing was taken from the buffer. */
        record NeedMore() implements Read {
        }

        /** A frame, taken from the buffer. */
        record Frame(WrapperFrame frame) implements Read {
        }

        /** Not a WRAPPER stream (or a frame longer than the server takes): the connection is to be closed. */
        record Refused(String reason) implements Read {
        }
    }

    /**
     * The next frame at {@code in}'s position (in read mode). A header is refused as soon as it is complete, so
     * a peer that announces more than {@code maxApdu} bytes never makes the server buffer them.
     */
    public static Read read(ByteBuffer in, int maxApdu) {
        if (in.remaining() < HEADER) {
            return new Read.NeedMore();
        }
        int start = in.position();
        int version = in.getShort(start) & MAX_FIELD;
        int source = in.getShort(start + 2) & MAX_FIELD;
        int destination = in.getShort(start + 4) & MAX_FIELD;
        int length = in.getShort(start + 6) & MAX_FIELD;
        if (version != VERSION) {
            return new Read.Refused("WRAPPER version " + version + ", not " + VERSION);
        }
        if (length > maxApdu) {
            return new Read.Refused("an APDU of " + length + " bytes, more than the " + maxApdu + " this server takes");
        }
        if (in.remaining() < HEADER + length) {
            return new Read.NeedMore();
        }
        byte[] apdu = new byte[length];
        in.position(start + HEADER);
        in.get(apdu);
        return new Read.Frame(new WrapperFrame(source, destination, apdu));
    }
}
