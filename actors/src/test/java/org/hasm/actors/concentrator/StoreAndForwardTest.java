package org.hasm.actors.concentrator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hasm.actors.concentrator.DataConcentrator.FrameRefused;
import org.hasm.actors.concentrator.DataConcentrator.IntakeNotice;
import org.hasm.actors.concentrator.DataConcentrator.IntakePaused;
import org.hasm.actors.concentrator.DataConcentrator.IntakeResumed;
import org.hasm.actors.concentrator.DataConcentrator.Settings;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

/** The window, the queue marks and the resends, on a clock the test moves by hand. */
class StoreAndForwardTest {
    private static final Duration RESEND_AFTER = Duration.ofSeconds(10);

    private record Delivery(long deliveryId, String meterId, byte[] frame) {
    }

    private final List<Delivery> deliveries = new ArrayList<>();
    private final List<IntakeNotice> notices = new ArrayList<>();
    /** The resend timer as the actor would hold it: null when cancelled. */
    private Duration timer;
    private long now;

    private StoreAndForward forwarding(int window, int capacity, int high, int low) {
        Settings settings = Settings.defaults("dc-1").withQueue(window, capacity, high, low).withResendAfter(RESEND_AFTER);
        return new StoreAndForward(settings, new StoreAndForward.Outlet() {
            @Override
            public void deliver(long deliveryId, String meterId, byte[] frame) {
                deliveries.add(new Delivery(deliveryId, meterId, frame));
            }

            @Override
            public void notice(IntakeNotice notice) {
                notices.add(notice);
            }

            @Override
            public void resendIn(Duration wait) {
                timer = wait;
            }

            @Override
            public void noResend() {
                timer = null;
            }
        }, () -> now, () -> NOPLogger.NOP_LOGGER);
    }

    private static void take(StoreAndForward f, String meterId, int frame) {
        f.enqueue(meterId, new byte[] {(byte) frame});
        f.pump();
    }

    @Test
    void neverMoreThanTheWindowUnconfirmedAndTheRestGoesOutInArrivalOrder() {
        StoreAndForward f = forwarding(3, 100, 90, 10);
        for (int i = 0; i < 10; i++) {
            take(f, "m" + i, i);
            assertTrue(f.inFlight() <= 3);
        }
        assertEquals(3, deliveries.size());
        assertEquals(7, f.queued());
        long confirmed = 0;
        while (confirmed < deliveries.size()) {
            assertTrue(f.confirm(deliveries.get((int) confirmed).deliveryId()));
            confirmed++;
            assertTrue(deliveries.size() - confirmed <= 3, "unconfirmed beyond the window");
        }
        assertEquals(10, deliveries.size());
        for (int i = 0; i < 10; i++) {
            assertEquals("m" + i, deliveries.get(i).meterId());
            assertArrayEquals(new byte[] {(byte) i}, deliveries.get(i).frame());
        }
        assertEquals(10, f.framesForwarded());
        assertEquals(10, f.framesDelivered());
        assertEquals(0, f.inFlight());
        assertEquals(null, timer, "nothing unconfirmed, no resend timer");
    }

    @Test
    void anUnconfirmedDeliveryIsSentAgainOnceItsTimeHasComeWithTheSameIdAndBytesAndAWaitThatDoubles() {
        StoreAndForward f = forwarding(4, 100, 90, 10);
        take(f, "m1", 7);
        assertEquals(RESEND_AFTER, timer);
        Delivery first = deliveries.get(0);

        now += RESEND_AFTER.minusMillis(1).toNanos();
        f.resendDue();
        assertEquals(1, deliveries.size(), "not due yet");
        assertEquals(Duration.ofMillis(1), timer);

        now += Duration.ofMillis(1).toNanos();
        f.resendDue();
        assertEquals(2, deliveries.size());
        Delivery again = deliveries.get(1);
        assertEquals(first.deliveryId(), again.deliveryId());
        assertEquals("m1", again.meterId());
        assertArrayEquals(first.frame(), again.frame());
        assertEquals(Duration.ofSeconds(20), timer);
        assertEquals(1, f.framesResent());
        assertEquals(1, f.framesForwarded(), "a resend is not a new frame");

        assertTrue(f.confirm(first.deliveryId()));
        assertTrue(f.confirm(first.deliveryId()), "the other copy's confirmation is expected, not stray");
        assertEquals(1, f.framesDelivered());
        assertFalse(f.confirm(99), "a delivery never sent");
    }

    @Test
    void theWaitBetweenResendsStopsGrowingAtTheMaximum() {
        StoreAndForward f = forwarding(1, 100, 90, 10);
        take(f, "m1", 1);
        for (int i = 0; i < 6; i++) {
            now += timer.toNanos();
            f.resendDue();
        }
        assertEquals(7, deliveries.size());
        assertEquals(StoreAndForward.MAX_RESEND_DELAY, timer); // 10, 20, 40, then 60, 60, ... s
    }

    @Test
    void theIntakePausesAtTheHighMarkResumesAtTheLowOneAndAFullQueueRefusesOutLoud() {
        StoreAndForward f = forwarding(1, 5, 4, 1);
        for (int i = 0; i < 5; i++) {
            take(f, "m", i); // one in flight, four queued
        }
        assertEquals(List.of(new IntakePaused("dc-1", 4)), notices);
        assertTrue(f.intakePaused());
        take(f, "m", 5);
        assertTrue(f.isFull());
        assertFalse(f.hasRoom());
        f.refuse("m9");
        assertInstanceOf(FrameRefused.class, notices.get(1));
        assertEquals(new FrameRefused("dc-1", "m9", 1), notices.get(1));
        assertEquals(1, f.framesRefused());
        assertEquals(5, f.queued());

        for (int i = 0; i < 3; i++) {
            f.confirm(deliveries.get(i).deliveryId());
        }
        assertEquals(2, notices.size(), "still above the low mark");
        f.confirm(deliveries.get(3).deliveryId());
        assertEquals(new IntakeResumed("dc-1", 1), notices.get(2));
        assertFalse(f.intakePaused());
    }
}
