package org.hasm.actors.link.dlms;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A COSEM attribute's value, the {@code Data} CHOICE of the Green Book, in its A-XDR encoding: a tag byte,
 * then a fixed-size value, or a length and the contents. Only the types hasm's objects use; any other tag is
 * {@link Malformed}, as is anything truncated, longer than its container or nested too deep, so a hostile
 * peer's bytes never reach more than a bounded decoder.
 */
public sealed interface AxdrData {
    int NULL_DATA = 0;
    int ARRAY = 1;
    int STRUCTURE = 2;
    int BOOLEAN = 3;
    int DOUBLE_LONG = 5;
    int DOUBLE_LONG_UNSIGNED = 6;
    int OCTET_STRING = 9;
    int VISIBLE_STRING = 10;
    int INTEGER = 15;
    int LONG = 16;
    int UNSIGNED = 17;
    int LONG_UNSIGNED = 18;
    int LONG64 = 20;
    int LONG64_UNSIGNED = 21;
    int ENUM = 22;
    /** Deeper than any of hasm's objects (a profile is an array of structures): beyond it, refused. */
    int MAX_DEPTH = 8;

    record NullData() implements AxdrData {
    }

    record Bool(boolean value) implements AxdrData {
    }

    /** One of the integer types; {@code tag} says which (its size and sign), {@code value} fits it. */
    record Number(int tag, long value) implements AxdrData {
        public Number {
            long[] range = switch (tag) {
                case INTEGER -> new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE};
                case UNSIGNED, ENUM -> new long[] {0, 0xFF};
                case LONG -> new long[] {Short.MIN_VALUE, Short.MAX_VALUE};
                case LONG_UNSIGNED -> new long[] {0, 0xFFFF};
                case DOUBLE_LONG -> new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
                case DOUBLE_LONG_UNSIGNED -> new long[] {0, 0xFFFF_FFFFL};
                case LONG64, LONG64_UNSIGNED -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
                default -> throw new IllegalArgumentException("tag " + tag + " is not an integer type");
            };
            if (value < range[0] || value > range[1]) {
                throw new IllegalArgumentException(value + " does not fit tag " + tag);
            }
        }

        static int size(int tag) {
            return switch (tag) {
                case INTEGER, UNSIGNED, ENUM -> 1;
                case LONG, LONG_UNSIGNED -> 2;
                case DOUBLE_LONG, DOUBLE_LONG_UNSIGNED -> 4;
                default -> 8;
            };
        }
    }

    record OctetString(byte[] value) implements AxdrData {
        public OctetString {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OctetString s && Arrays.equals(value, s.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }
    }

    record VisibleString(String value) implements AxdrData {
    }

    record Array(List<AxdrData> elements) implements AxdrData {
        public Array {
            elements = List.copyOf(elements);
        }
    }

    record Structure(List<AxdrData> elements) implements AxdrData {
        public Structure {
            elements = List.copyOf(elements);
        }
    }

    /** Bytes that are not a value of the supported types. */
    final class Malformed extends Exception {
        public Malformed(String message) {
            super(message);
        }
    }

    default byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AxdrCodec.write(this, out);
        return out.toByteArray();
    }

    /** The one value {@code bytes} holds, all of them. */
    static AxdrData decode(byte[] bytes) throws Malformed {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        AxdrData value = AxdrCodec.read(in, 0);
        if (in.hasRemaining()) {
            throw new Malformed(in.remaining() + " byte(s) after the value");
        }
        return value;
    }

    static AxdrData text(String visible) {
        return new VisibleString(visible);
    }

    static AxdrData octets(byte[] bytes) {
        return new OctetString(bytes);
    }

    /** Used by the interface's methods; the encoding rules in one place. */
    final class AxdrCodec {
        private AxdrCodec() {
        }

        static void write(AxdrData value, ByteArrayOutputStream out) {
            // instanceof, not a pattern switch: that is a preview feature on Java 17
            if (value instanceof NullData) {
                out.write(NULL_DATA);
            } else if (value instanceof Bool b) {
                out.write(BOOLEAN);
                out.write(b.value() ? 1 : 0);
            } else if (value instanceof Number n) {
                out.write(n.tag());
                for (int i = Number.size(n.tag()) - 1; i >= 0; i--) {
                    out.write((int) (n.value() >>> (8 * i)));
                }
            } else if (value instanceof OctetString s) {
                contents(OCTET_STRING, s.value(), out);
            } else if (value instanceof VisibleString s) {
                contents(VISIBLE_STRING, s.value().getBytes(StandardCharsets.US_ASCII), out);
            } else if (value instanceof Array a) {
                elements(ARRAY, a.elements(), out);
            } else {
                elements(STRUCTURE, ((Structure) value).elements(), out);
            }
        }

        private static void contents(int tag, byte[] bytes, ByteArrayOutputStream out) {
            out.write(tag);
            length(bytes.length, out);
            out.writeBytes(bytes);
        }

        private static void elements(int tag, List<AxdrData> elements, ByteArrayOutputStream out) {
            out.write(tag);
            length(elements.size(), out);
            elements.forEach(e -> write(e, out));
        }

        /** A-XDR length: below 128 one byte, else 0x80 + the number of bytes that follow, big-endian. */
        static void length(int n, ByteArrayOutputStream out) {
            if (n < 0x80) {
                out.write(n);
                return;
            }
            int bytes = n <= 0xFF ? 1 : n <= 0xFFFF ? 2 : n <= 0xFF_FFFF ? 3 : 4;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }

        static int length(ByteBuffer in) throws Malformed {
            int first = u8(in);
            if (first < 0x80) {
                return first;
            }
            int bytes = first & 0x7F;
            if (bytes == 0 || bytes > 3) {
                throw new Malformed("a length of " + bytes + " bytes");
            }
            int n = 0;
            for (int i = 0; i < bytes; i++) {
                n = (n << 8) | u8(in);
            }
            return n;
        }

        static AxdrData read(ByteBuffer in, int depth) throws Malformed {
            if (depth > MAX_DEPTH) {
                throw new Malformed("nested deeper than " + MAX_DEPTH);
            }
            int tag = u8(in);
            switch (tag) {
                case NULL_DATA:
                    return new NullData();
                case BOOLEAN:
                    return new Bool(u8(in) != 0);
                case INTEGER, UNSIGNED, ENUM, LONG, LONG_UNSIGNED, DOUBLE_LONG, DOUBLE_LONG_UNSIGNED, LONG64, LONG64_UNSIGNED:
                    return number(tag, in);
                case OCTET_STRING:
                    return new OctetString(bytes(in, length(in)));
                case VISIBLE_STRING:
                    return new VisibleString(new String(bytes(in, length(in)), StandardCharsets.US_ASCII));
                case ARRAY, STRUCTURE: {
                    int n = length(in);
                    if (n > in.remaining()) {
                        throw new Malformed(n + " elements announced, " + in.remaining() + " bytes left");
                    }
                    List<AxdrData> elements = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        elements.add(read(in, depth + 1));
                    }
                    return tag == ARRAY ? new Array(elements) : new Structure(elements);
                }
                default:
                    throw new Malformed("tag " + tag + " is not a data type served here");
            }
        }

        private static AxdrData number(int tag, ByteBuffer in) throws Malformed {
            int size = Number.size(tag);
            byte[] raw = bytes(in, size);
            long v = 0;
            for (byte b : raw) {
                v = (v << 8) | (b & 0xFF);
            }
            boolean signed = tag == INTEGER || tag == LONG || tag == DOUBLE_LONG || tag == LONG64;
            if (signed && size < 8) {
                v = (v << (64 - 8 * size)) >> (64 - 8 * size);
            }
            return new Number(tag, v);
        }

        private static byte[] bytes(ByteBuffer in, int n) throws Malformed {
            if (n > in.remaining()) {
                throw new Malformed(n + " bytes announced, " + in.remaining() + " left");
            }
            byte[] b = new byte[n];
            in.get(b);
            return b;
        }

        private static int u8(ByteBuffer in) throws Malformed {
            if (!in.hasRemaining()) {
                throw new Malformed("truncated");
            }
            return in.get() & 0xFF;
        }
    }
}
