package org.hasm.actors.link.dlms;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The xDLMS InitiateRequest a client puts in its AARQ's user-information, and the InitiateResponse a server
 * answers in its AARE (Green Book, A-XDR): the DLMS version (6), the conformance block (24 bits of the
 * services a party supports) and the largest APDU it receives. The request may carry a dedicated key.
 */
public final class Initiate {
    public static final int REQUEST_TAG = 0x01;
    public static final int RESPONSE_TAG = 0x08;
    public static final int DLMS_VERSION = 6;
    /** Logical-name referencing: the vaa-name every LN server answers with. */
    public static final int LN_VAA_NAME = 0x0007;
    /** The conformance block's tag and length, [APPLICATION 31] IMPLICIT BIT STRING of 24 bits. */
    private static final byte[] CONFORMANCE_HEADER = {0x5F, 0x1F, 0x04, 0x00};
    private static final int DEDICATED_KEY_LENGTH = 16;

    private Initiate() {
    }

    /** {@code dedicatedKey} is empty when the client proposes none. */
    public record Request(Optional<byte[]> dedicatedKey, int dlmsVersion, int conformance, int maxReceivePduSize) {
        public byte[] encode() {
            ByteBuffer out = ByteBuffer.allocate(32);
            out.put((byte) REQUEST_TAG);
            if (dedicatedKey.isPresent()) {
                out.put((byte) 0x01).put((byte) dedicatedKey.get().length).put(dedicatedKey.get());
            } else {
                out.put((byte) 0x00);
            }
            out.put((byte) 0x00); // response-allowed: DEFAULT TRUE
            out.put((byte) 0x00); // proposed-quality-of-service: absent
            out.put((byte) dlmsVersion).put(CONFORMANCE_HEADER);
            putConformance(out, conformance);
            out.putShort((short) maxReceivePduSize);
            return java.util.Arrays.copyOf(out.array(), out.position());
        }

        public static Request decode(byte[] bytes) throws AxdrData.Malformed {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            expect(in, REQUEST_TAG, "an InitiateRequest");
            Optional<byte[]> key = Optional.empty();
            if (u8(in) != 0) {
                int length = u8(in);
                if (length != DEDICATED_KEY_LENGTH) {
                    throw new AxdrData.Malformed("a dedicated key of " + length + " bytes");
                }
                key = Optional.of(bytes(in, length));
            }
            if (u8(in) != 0) {
                u8(in); // response-allowed given explicitly
            }
            if (u8(in) != 0) {
                u8(in); // proposed-quality-of-service
            }
            int version = u8(in);
            int conformance = readConformance(in);
            int maxPdu = u16(in);
            end(in);
            return new Request(key, version, conformance, maxPdu);
        }
    }

    public record Response(int dlmsVersion, int conformance, int maxReceivePduSize, int vaaName) {
        public byte[] encode() {
            ByteBuffer out = ByteBuffer.allocate(14);
            out.put((byte) RESPONSE_TAG).put((byte) 0x00).put((byte) dlmsVersion).put(CONFORMANCE_HEADER);
            putConformance(out, conformance);
            out.putShort((short) maxReceivePduSize).putShort((short) vaaName);
            return out.array();
        }

        public static Response decode(byte[] bytes) throws AxdrData.Malformed {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            expect(in, RESPONSE_TAG, "an InitiateResponse");
            if (u8(in) != 0) {
                u8(in); // negotiated-quality-of-service
            }
            int version = u8(in);
            int conformance = readConformance(in);
            int maxPdu = u16(in);
            int vaa = u16(in);
            end(in);
            return new Response(version, conformance, maxPdu, vaa);
        }
    }

    private static void putConformance(ByteBuffer out, int conformance) {
        out.put((byte) (conformance >>> 16)).put((byte) (conformance >>> 8)).put((byte) conformance);
    }

    private static int readConformance(ByteBuffer in) throws AxdrData.Malformed {
        for (byte b : CONFORMANCE_HEADER) {
            if ((byte) u8(in) != b) {
                throw new AxdrData.Malformed("no conformance block where one belongs");
            }
        }
        return (u8(in) << 16) | (u8(in) << 8) | u8(in);
    }

    private static void expect(ByteBuffer in, int tag, String what) throws AxdrData.Malformed {
        int found = u8(in);
        if (found != tag) {
            throw new AxdrData.Malformed("tag " + found + " is not " + what);
        }
    }

    private static void end(ByteBuffer in) throws AxdrData.Malformed {
        if (in.hasRemaining()) {
            throw new AxdrData.Malformed(in.remaining() + " byte(s) after the end");
        }
    }

    private static int u16(ByteBuffer in) throws AxdrData.Malformed {
        return (u8(in) << 8) | u8(in);
    }

    private static byte[] bytes(ByteBuffer in, int n) throws AxdrData.Malformed {
        if (n > in.remaining()) {
            throw new AxdrData.Malformed("truncated");
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private static int u8(ByteBuffer in) throws AxdrData.Malformed {
        if (!in.hasRemaining()) {
            throw new AxdrData.Malformed("truncated");
        }
        return in.get() & 0xFF;
    }
}
