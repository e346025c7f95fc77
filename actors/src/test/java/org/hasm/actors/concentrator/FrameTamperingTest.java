package org.hasm.actors.concentrator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.hasm.actors.concentrator.DataConcentrator.StartTampering;
import org.hasm.actors.concentrator.DataConcentrator.Tampering;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

/** Which frames a tampering concentrator edits or replays, turn by turn. */
class FrameTamperingTest {
    private static final byte[] FRAME = {1, 2, 3, 4};
    private static final byte[] EDITED = {1, 2, 3, 5};

    private static FrameTampering tampering(Tampering always) {
        return new FrameTampering("dc-1", always, () -> NOPLogger.NOP_LOGGER);
    }

    private static List<byte[]> admit(FrameTampering t, boolean room) {
        List<byte[]> queued = new ArrayList<>();
        t.admit(FRAME, queued::add, () -> room);
        return queued;
    }

    @Test
    void anHonestConcentratorQueuesTheFrameItTookIn() {
        List<byte[]> queued = admit(tampering(Tampering.NONE), true);
        assertEquals(1, queued.size());
        assertSame(FRAME, queued.get(0));
    }

    @Test
    void anEditTurnFlipsTheLastBitOfThatManyFramesThenForwardsHonestly() {
        FrameTampering t = tampering(Tampering.NONE);
        t.start(new StartTampering(Tampering.EDIT, 2));
        assertArrayEquals(EDITED, admit(t, true).get(0));
        assertArrayEquals(EDITED, admit(t, true).get(0));
        assertSame(FRAME, admit(t, true).get(0));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, FRAME, "the frame taken in is not changed in place");
    }

    @Test
    void aReplayNeedsRoomForTheCopyAndWaitsForItWithoutUsingUpTheTurn() {
        FrameTampering t = tampering(Tampering.NONE);
        t.start(new StartTampering(Tampering.REPLAY, 1));
        assertEquals(1, admit(t, false).size());
        List<byte[]> replayed = admit(t, true);
        assertEquals(2, replayed.size());
        assertArrayEquals(FRAME, replayed.get(1));
        assertEquals(1, admit(t, true).size());
    }

    @Test
    void turnsAddUpAFrameGetsOneKindAtMostAndNoneStopsEverything() {
        FrameTampering t = tampering(Tampering.NONE);
        t.start(new StartTampering(Tampering.EDIT, 1));
        t.start(new StartTampering(Tampering.REPLAY, 2));
        List<byte[]> first = admit(t, true);
        assertEquals(1, first.size(), "edited, not replayed as well");
        assertArrayEquals(EDITED, first.get(0));
        assertEquals(2, admit(t, true).size());
        t.start(new StartTampering(Tampering.NONE, 0));
        assertEquals(1, admit(t, true).size());
    }

    @Test
    void theSettingsModeTouchesEveryFrame() {
        FrameTampering t = tampering(Tampering.REPLAY);
        for (int i = 0; i < 1_000; i++) {
            assertEquals(2, admit(t, true).size());
        }
    }
}
