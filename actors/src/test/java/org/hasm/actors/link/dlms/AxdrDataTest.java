package org.hasm.actors.link.dlms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class AxdrDataTest {
    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    private static void roundTrip(String encoded, AxdrData value) throws AxdrData.Malformed {
        assertArrayEquals(hex(encoded), value.encode(), encoded);
        assertEquals(value, AxdrData.decode(hex(encoded)), encoded);
    }

    @Test
    void aRegistersScalerUnitAndValueAsMetersSendThem() throws AxdrData.Malformed {
        // attribute 3 of a register (class 3): structure { scaler 0 (integer), unit 30 = Wh (enum) }
        roundTrip("02 02 0F 00 16 1E", new AxdrData.Structure(List.of(new AxdrData.Number(AxdrData.INTEGER, 0),
                new AxdrData.Number(AxdrData.ENUM, 30))));
        roundTrip("06 00 00 30 39", new AxdrData.Number(AxdrData.DOUBLE_LONG_UNSIGNED, 12345));
        roundTrip("0F FD", new AxdrData.Number(AxdrData.INTEGER, -3));
        roundTrip("10 FF 38", new AxdrData.Number(AxdrData.LONG, -200));
        roundTrip("12 FF FF", new AxdrData.Number(AxdrData.LONG_UNSIGNED, 65535));
        // the clock's time (class 8, attribute 2): a date-time as an octet-string of 12
        roundTrip("09 0C 07 EA 01 01 04 12 00 00 00 80 00 00", AxdrData.octets(hex("07 EA 01 01 04 12 00 00 00 80 00 00")));
        roundTrip("0A 03 68 61 73", AxdrData.text("has"));
        roundTrip("03 01", new AxdrData.Bool(true));
        roundTrip("00", new AxdrData.NullData());
    }

    @Test
    void longContentsTakeALongLength() throws AxdrData.Malformed {
        byte[] profile = new byte[300];
        byte[] encoded = AxdrData.octets(profile).encode();
        assertArrayEquals(hex("09 82 01 2C"), java.util.Arrays.copyOf(encoded, 4));
        assertEquals(AxdrData.octets(profile), AxdrData.decode(encoded));
        List<AxdrData> nulls = Collections.nCopies(200, new AxdrData.NullData());
        assertEquals(new AxdrData.Array(nulls), AxdrData.decode(new AxdrData.Array(nulls).encode()));
    }

    @Test
    void hostileBytesAreMalformedNotAnExceptionOfTheRuntime() {
        for (String bad : new String[] {"", "06 00 00", "09 05 01 02", "01 05 00", "02 84 00 00 00 01 00", "07 00", "00 00",
                "09 FF"}) {
            assertThrows(AxdrData.Malformed.class, () -> AxdrData.decode(hex(bad)), bad);
        }
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i <= AxdrData.MAX_DEPTH + 1; i++) {
            deep.append("0101");
        }
        assertThrows(AxdrData.Malformed.class, () -> AxdrData.decode(hex(deep + "00")), "nested too deep");
    }

    @Test
    void anIntegerThatDoesNotFitItsTypeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AxdrData.Number(AxdrData.UNSIGNED, 256));
        assertThrows(IllegalArgumentException.class, () -> new AxdrData.Number(AxdrData.OCTET_STRING, 1));
    }
}
