package org.hasm.actors.link.dlms;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A COSEM object's logical name, the six value groups A-F of its OBIS code (IEC 62056-6-1), as a head-end
 * writes it: {@code 1.0.1.8.0.255} or {@code 1-0:1.8.0.255} (F defaults to 255 when left out).
 */
public record ObisCode(int a, int b, int c, int d, int e, int f) {
    /** Each group is one byte on the wire: the logical name is an octet-string of six. */
    public static final int LENGTH = 6;
    private static final Pattern DOTTED = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?:\\.(\\d{1,3}))?");
    private static final Pattern IEC = Pattern.compile("(\\d{1,3})-(\\d{1,3}):(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?:\\.(\\d{1,3}))?");

    public ObisCode {
        for (int g : new int[] {a, b, c, d, e, f}) {
            if (g < 0 || g > 255) {
                throw new IllegalArgumentException("an OBIS value group is a byte (0-255), not " + g);
            }
        }
    }

    /** The code in {@code text}, or empty if it is not one (a value group above 255 included). */
    public static Optional<ObisCode> parse(String text) {
        String t = text.strip();
        Matcher m = DOTTED.matcher(t);
        if (!m.matches()) {
            m = IEC.matcher(t);
            if (!m.matches()) {
                return Optional.empty();
            }
        }
        int[] g = new int[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            String group = m.group(i + 1);
            g[i] = group == null ? 255 : Integer.parseInt(group);
            if (g[i] > 255) {
                return Optional.empty();
            }
        }
        return Optional.of(new ObisCode(g[0], g[1], g[2], g[3], g[4], g[5]));
    }

    /** The logical name as it travels: six bytes, A first. */
    public byte[] toBytes() {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d, (byte) e, (byte) f};
    }

    public static ObisCode of(byte[] logicalName) {
        if (logicalName.length != LENGTH) {
            throw new IllegalArgumentException("a logical name has 6 bytes, not " + logicalName.length);
        }
        return new ObisCode(logicalName[0] & 0xFF, logicalName[1] & 0xFF, logicalName[2] & 0xFF, logicalName[3] & 0xFF,
                logicalName[4] & 0xFF, logicalName[5] & 0xFF);
    }

    @Override
    public String toString() {
        return a + "." + b + "." + c + "." + d + "." + e + "." + f;
    }
}
