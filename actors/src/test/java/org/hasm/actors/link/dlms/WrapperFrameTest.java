package org.hasm.actors.link.dlms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class WrapperFrameTest {
    /**
     * The public client's AARQ (LN referencing, no ciphering, conformance 0x007E1F, max PDU 1200) from client
     * wPort 16 to server wPort 1, as DLMS head-ends and the Green Book's examples send it.
     */
    private static final byte[] PUBLIC_AARQ = HexFormat.of().parseHex(
            "00010010000100" + "1F" + "601DA109060760857405080101BE10040E01000000065F1F0400007E1F04B0");

    @Test
    void theHeaderOfAPublicClientsAarqIsReadAndWrittenBackByteForByte() {
        WrapperFrame.Read read = WrapperFrame.read(ByteBuffer.wrap(PUBLIC_AARQ), 2048);
        WrapperFrame frame = assertInstanceOf(WrapperFrame.Read.Frame.class, read).frame();
        assertEquals(16, frame.source());
        assertEquals(1, frame.destination());
        assertEquals(31, frame.apdu().length);
        assertEquals(0x60, frame.apdu()[0] & 0xFF, "an AARQ's tag");
        assertArrayEquals(PUBLIC_AARQ, frame.encode());
    }

    @Test
    void aFrameSplitAcrossReadsWaitsAndTakesNothingUntilWhole() {
        ByteBuffer stream = ByteBuffer.allocate(2 * PUBLIC_AARQ.length);
        stream.put(PUBLIC_AARQ, 0, 5).flip();
        assertInstanceOf(WrapperFrame.Read.NeedMore.class, WrapperFrame.read(stream, 2048));
        stream.compact().put(PUBLIC_AARQ, 5, 20).flip();
        assertInstanceOf(WrapperFrame.Read.NeedMore.class, WrapperFrame.read(stream, 2048));
        assertEquals(0, stream.position(), "nothing taken while the frame is incomplete");
        stream.compact().put(PUBLIC_AARQ, 25, PUBLIC_AARQ.length - 25).put(PUBLIC_AARQ, 0, 3).flip();
        assertInstanceOf(WrapperFrame.Read.Frame.class, WrapperFrame.read(stream, 2048));
        assertEquals(3, stream.remaining(), "the next frame's first bytes stay");
    }

    @Test
    void aLengthBeyondWhatTheServerTakesIsRefusedFromTheHeaderAlone() {
        byte[] header = HexFormat.of().parseHex("000100100001FFFF");
        WrapperFrame.Read read = WrapperFrame.read(ByteBuffer.wrap(header), 2048);
        assertTrue(assertInstanceOf(WrapperFrame.Read.Refused.class, read).reason().contains("65535 bytes"));
    }

    @Test
    void anotherVersionIsNotAWrapperStream() {
        byte[] garbage = HexFormat.of().parseHex("474554202f20485454502f312e310d0a"); // "GET / HTTP/1.1"
        assertInstanceOf(WrapperFrame.Read.Refused.class, WrapperFrame.read(ByteBuffer.wrap(garbage), 2048));
    }
}
