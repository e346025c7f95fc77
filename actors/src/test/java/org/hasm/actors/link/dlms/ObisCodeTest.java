package org.hasm.actors.link.dlms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ObisCodeTest {
    @Test
    void bothNotationsNameTheSameLogicalName() {
        ObisCode energy = ObisCode.parse("1.0.1.8.0.255").orElseThrow();
        assertEquals(energy, ObisCode.parse("1-0:1.8.0.255").orElseThrow());
        assertEquals(energy, ObisCode.parse("1-0:1.8.0").orElseThrow(), "F defaults to 255");
        assertArrayEquals(HexFormat.of().parseHex("0100010800FF"), energy.toBytes());
        assertEquals(energy, ObisCode.of(energy.toBytes()));
        assertEquals("0.0.96.3.10.255", ObisCode.of(HexFormat.of().parseHex("000060030AFF")).toString());
    }

    @Test
    void whatIsNotAnObisCodeIsEmpty() {
        for (String bad : new String[] {"", "1.0.1.8", "1.0.1.8.0.256", "a.b.c.d.e.f", "1.0.1.8.0.255.1", "1-0:1.8"}) {
            assertEquals(Optional.empty(), ObisCode.parse(bad), bad);
        }
        assertTrue(ObisCode.parse(" 0.0.1.0.0.255 ").isPresent());
    }
}
