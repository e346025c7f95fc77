package org.hasm.actors.central;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeliveryMemoryTest {

    private static byte[] frame(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aResentDeliveryIsKnownButOtherBytesUnderItsIdAreNot() {
        DeliveryMemory memory = new DeliveryMemory(256);
        byte[] reading = memory.digest(frame("reading 7"));
        assertFalse(memory.persisted(7, reading), "nothing remembered yet");
        memory.remember(7, reading);
        assertTrue(memory.persisted(7, memory.digest(frame("reading 7"))), "the same id and bytes: a resend");
        assertFalse(memory.persisted(7, memory.digest(frame("reading 8"))), "other bytes under that id are opened");
        assertFalse(memory.persisted(8, reading), "the same bytes under a new id are opened (a replay)");
        assertFalse(memory.persisted(3, reading), "and under an older id that was never persisted");
    }

    @Test
    void itForgetsTheOldestBeyondItsCapacityAndKeepsTheRest() {
        int capacity = 40; // not a power of two: the ring grows 16 -> 32 -> 40, then wraps
        DeliveryMemory memory = new DeliveryMemory(capacity);
        for (long id = 1; id <= capacity + 5; id++) {
            memory.remember(id, memory.digest(frame("frame " + id)));
        }
        for (long id = 1; id <= 5; id++) {
            assertFalse(memory.persisted(id, memory.digest(frame("frame " + id))), "delivery " + id + " forgotten");
        }
        for (long id = 6; id <= capacity + 5; id++) {
            assertTrue(memory.persisted(id, memory.digest(frame("frame " + id))), "delivery " + id + " still known");
        }
    }

    @Test
    void onlyADigestIsRemembered() {
        DeliveryMemory memory = new DeliveryMemory(4);
        assertThrows(IllegalArgumentException.class, () -> memory.remember(1, frame("not a digest")));
        assertThrows(IllegalArgumentException.class, () -> new DeliveryMemory(0));
    }
}
