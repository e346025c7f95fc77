package org.hasm.actors.link.dlms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InitiateTest {
    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    @Test
    void theGreenBooksRequestWithADedicatedKey() throws AxdrData.Malformed {
        byte[] encoded = hex("01 01 10 00112233445566778899AABBCCDDEEFF 00 00 06 5F1F0400 007E1F 04B0");
        Initiate.Request r = Initiate.Request.decode(encoded);
        assertArrayEquals(hex("00112233445566778899AABBCCDDEEFF"), r.dedicatedKey().orElseThrow());
        assertEquals(6, r.dlmsVersion());
        assertEquals(0x007E1F, r.conformance());
        assertEquals(1200, r.maxReceivePduSize());
        assertArrayEquals(encoded, r.encode());
    }

    @Test
    void thePublicClientsRequestAndAnLnServersResponse() throws AxdrData.Malformed {
        byte[] request = hex("01 00 00 00 06 5F1F0400 007E1F 04B0"); // the user-information of WrapperFrameTest's AARQ
        Initiate.Request r = Initiate.Request.decode(request);
        assertTrue(r.dedicatedKey().isEmpty());
        assertArrayEquals(request, new Initiate.Request(Optional.empty(), 6, 0x007E1F, 1200).encode());

        byte[] response = hex("08 00 06 5F1F0400 00501F 01F4 0007");
        Initiate.Response a = Initiate.Response.decode(response);
        assertEquals(new Initiate.Response(6, 0x00501F, 500, Initiate.LN_VAA_NAME), a);
        assertArrayEquals(response, a.encode());
    }

    @Test
    void whatIsNotAnInitiateIsMalformed() {
        for (String bad : new String[] {"", "08", "01 01 05 0011223344", "01 00 00 00 06 5F1F0400 007E", "01 00 00 00 06 1111 0400 007E1F 04B0",
                "01 00 00 00 06 5F1F0400 007E1F 04B0 00"}) {
            assertThrows(AxdrData.Malformed.class, () -> Initiate.Request.decode(hex(bad)), bad);
        }
        assertThrows(AxdrData.Malformed.class, () -> Initiate.Response.decode(hex("01 00 06")));
    }
}
