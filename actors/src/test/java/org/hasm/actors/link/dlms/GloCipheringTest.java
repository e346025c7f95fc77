package org.hasm.actors.link.dlms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Green Book's examples for security suite 0 (DLMS UA 1000-2, the glo-initiateRequest and HLS5 with GMAC). */
class GloCipheringTest {
    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    private static final byte[] EK = hex("000102030405060708090A0B0C0D0E0F");
    private static final byte[] AK = hex("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");
    /** The sender's system title in both examples (the client of the initiate, the server of the HLS reply). */
    private static final byte[] TITLE = hex("4D4D4D0000BC614E");
    private static final long IC = 0x01234567L;
    /** xDLMS InitiateRequest with a dedicated key, conformance 0x007E1F, max PDU 1200. */
    private static final byte[] INITIATE_REQUEST = hex("01011000112233445566778899AABBCCDDEEFF0000065F1F0400007E1F04B0");
    /** The glo-initiateRequest's content: SC 0x30, IC, ciphertext and 12-byte tag. */
    private static final byte[] CIPHERED = hex("30 01234567 801302FF8A7874133D414CED25B42534D28DB0047720606B175BD52211BE6841DB204D39EE6FDB8E356855");

    private final GloCiphering suite0 = new GloCiphering(EK, AK);

    @Test
    void theGreenBooksGloInitiateRequestIsSealedByteForByte() {
        assertArrayEquals(CIPHERED, suite0.protect(TITLE, IC, INITIATE_REQUEST));
        GloCiphering.Opened opened = suite0.open(TITLE, CIPHERED).orElseThrow();
        assertArrayEquals(INITIATE_REQUEST, opened.plaintext());
        assertEquals(IC, opened.invocationCounter());
    }

    @Test
    void aFlippedBitAnotherSendersTitleOrAnotherKeyOpensNothing() {
        for (int i = 1; i < CIPHERED.length; i++) {
            byte[] tampered = CIPHERED.clone();
            tampered[i] ^= 0x01;
            assertEquals(Optional.empty(), suite0.open(TITLE, tampered), "bit flipped in byte " + i);
        }
        assertEquals(Optional.empty(), suite0.open(hex("4D4D4D0000000001"), CIPHERED));
        byte[] otherAk = AK.clone();
        otherAk[15] ^= 1;
        assertEquals(Optional.empty(), new GloCiphering(EK, otherAk).open(TITLE, CIPHERED));
        assertEquals(Optional.empty(), suite0.open(TITLE, hex("30 01234567")), "shorter than a tag");
    }

    @Test
    void hls5WithGmacAnswersTheClientsChallengeAsTheGreenBookSays() {
        // the server (system title 4D4D4D0000BC614E, IC 01234567) processes the client's CtoS "K56iVagY"
        byte[] cToS = hex("4B35366956616759");
        byte[] expected = hex("FE1466AFB3DBCD4F9389E2B7");
        assertArrayEquals(expected, suite0.challengeTag(TITLE, IC, cToS));
        assertTrue(suite0.challengeTagVerifies(TITLE, IC, cToS, expected));
        assertFalse(suite0.challengeTagVerifies(TITLE, IC + 1, cToS, expected), "another counter");
        assertFalse(suite0.challengeTagVerifies(TITLE, IC, hex("503677524A323146"), expected), "another challenge");
    }
}
