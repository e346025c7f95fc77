package org.hasm.actors.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one byte encoding used for everything that is signed or MACed: a domain tag, then fixed-width
 * big-endian integers and length-prefixed strings and byte strings. Length prefixes make the encoding
 * injective (no two different structures encode to the same bytes), and the domain tag makes a signature
 * over one structure meaningless as a signature over another.
 *
 * <pre>
 * u8      1 byte
 * i64     8 bytes, big-endian two's complement
 * text    u16 length, then that many bytes of UTF-8 (strictly decoded)
 * blob    4-byte big-endian length, then that many bytes
 * domain  a text, e.g. "hasm/command/v1"
 * </pre>
 */
final class CanonicalEncoding {
    /** The wire form of every signed or MACed structure: its canonical bytes followed by the tag. */
    static byte[] withTrailer(byte[] body, byte[] trailer) {
        byte[] wire = java.util.Arrays.copyOf(body, body.length + trailer.length);
        System.arraycopy(trailer, 0, wire, body.length, trailer.length);
        return wire;
    }

    private CanonicalEncoding() {
    }

    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(96);

        Writer(String domain) {
            text(domain);
        }

        Writer u8(int value) {
            out.write(value);
            return this;
        }

        Writer i64(long value) {
            out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(value).array());
            return this;
        }

        Writer text(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > 0xFFFF) {
                throw new IllegalArgumentException("text longer than 65535 bytes");
            }
            out.write(utf8.length >>> 8);
            out.write(utf8.length);
            out.writeBytes(utf8);
            return this;
        }

        Writer blob(byte[] value) {
            out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(value.length).array());
            out.writeBytes(value);
            return this;
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }

    /** Reads what a {@link Writer} wrote; any deviation is {@link Malformed}, never a runtime exception. */
    static final class Reader {
        private final byte[] in;
        private int position;

        Reader(byte[] in, String expectedDomain) throws Malformed {
            this.in = in;
            if (!expectedDomain.equals(text())) {
                throw Malformed.INSTANCE;
            }
        }

        int u8() throws Malformed {
            need(1);
            return in[position++] & 0xFF;
        }

        long i64() throws Malformed {
            need(Long.BYTES);
            long value = ByteBuffer.wrap(in, position, Long.BYTES).getLong();
            position += Long.BYTES;
            return value;
        }

        String text() throws Malformed {
            need(2);
            int length = ((in[position] & 0xFF) << 8) | (in[position + 1] & 0xFF);
            position += 2;
            need(length);
            try {
                String value = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(in, position, length))
                        .toString();
                position += length;
                return value;
            } catch (CharacterCodingException e) {
                throw Malformed.INSTANCE;
            }
        }

        byte[] blob(int maxLength) throws Malformed {
            need(Integer.BYTES);
            int length = ByteBuffer.wrap(in, position, Integer.BYTES).getInt();
            position += Integer.BYTES;
            if (length < 0 || length > maxLength) {
                throw Malformed.INSTANCE;
            }
            need(length);
            byte[] value = Arrays.copyOfRange(in, position, position + length);
            position += length;
            return value;
        }

        /** The remaining bytes, which must be exactly {@code length} long (a fixed-size signature or MAC). */
        byte[] trailer(int length) throws Malformed {
            if (in.length - position != length) {
                throw Malformed.INSTANCE;
            }
            byte[] value = Arrays.copyOfRange(in, position, in.length);
            position = in.length;
            return value;
        }

        private void need(int length) throws Malformed {
            if (length < 0 || in.length - position < length) {
                throw Malformed.INSTANCE;
            }
        }
    }

    /** Input that is not a canonical encoding. Stackless: it is an expected outcome, not a bug. */
    static final class Malformed extends Exception {
        static final Malformed INSTANCE = new Malformed();

        private Malformed() {
            super("not a canonical encoding", null, false, false);
        }
    }
}
