package org.hasm.actors.concentrator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.hasm.actors.concentrator.DataConcentrator.FrameRefused;
import org.hasm.actors.concentrator.DataConcentrator.IntakeNotice;
import org.hasm.actors.concentrator.DataConcentrator.IntakePaused;
import org.hasm.actors.concentrator.DataConcentrator.IntakeResumed;
import org.slf4j.Logger;

/**
 * The concentrator's store and forward, apart from the actor so its window, queue marks and resends can be
 * read and tested on their own: frames go out in arrival order, at most {@code window} unconfirmed; the rest
 * wait in a queue of at most {@code queueCapacity}, with the intake told to pause past {@code highWater} and
 * to resume at {@code lowWater}. An unconfirmed delivery is sent again, same id and bytes, after a wait that
 * doubles up to {@link #MAX_RESEND_DELAY}. Not thread-safe: owned by one actor, which gives it the clock and
 * the one resend timer.
 */
final class StoreAndForward {

    /** Where a frame, a notice or the resend timer goes: the actor's links and timers. */
    interface Outlet {
        void deliver(long deliveryId, String meterId, byte[] frame);

        void notice(IntakeNotice notice);

        /** (Re)starts the single resend timer. */
        void resendIn(Duration wait);

        void noResend();
    }

    /** The longest wait between two resends of one delivery. */
    static final Duration MAX_RESEND_DELAY = Duration.ofSeconds(60);
    /** Resent deliveries remembered after their confirmation, so the other copy's confirmation is not stray. */
    private static final int REMEMBERED_RESENDS = 1024;

    private record Pending(String meterId, byte[] frame) {
    }

    /** A delivery sent and not confirmed yet: the bytes as sent (a resend repeats them), and when to resend. */
    private static final class InFlight {
        final String meterId;
        final byte[] sent;
        long resendAtNanos;
        Duration backoff;
        int copies = 1;

        InFlight(String meterId, byte[] sent, long resendAtNanos, Duration backoff) {
            this.meterId = meterId;
            this.sent = sent;
            this.resendAtNanos = resendAtNanos;
            this.backoff = backoff;
        }
    }

    private final String concentratorId;
    private final int window;
    private final int queueCapacity;
    private final int highWater;
    private final int lowWater;
    private final Duration resendAfter;
    private final Outlet outlet;
    private final LongSupplier nanoTime;
    /** The actor's logger, asked for at each line as the actor itself does. */
    private final Supplier<Logger> log;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final LinkedHashMap<Long, InFlight> inFlight = new LinkedHashMap<>();
    /** Confirmed deliveries that went out more than once: a late confirmation of another copy is expected. */
    private final LinkedHashMap<Long, Boolean> resentConfirmed = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > REMEMBERED_RESENDS;
        }
    };
    private long nextDeliveryId;
    private boolean paused;
    private long framesForwarded;
    private long framesDelivered;
    private long framesRefused;
    private long framesResent;

    StoreAndForward(DataConcentrator.Settings settings, Outlet outlet, LongSupplier nanoTime, Supplier<Logger> log) {
        this.concentratorId = settings.concentratorId();
        this.window = settings.window();
        this.queueCapacity = settings.queueCapacity();
        this.highWater = settings.highWater();
        this.lowWater = settings.lowWater();
        this.resendAfter = settings.resendAfter();
        this.outlet = outlet;
        this.nanoTime = nanoTime;
        this.log = log;
    }

    boolean isFull() {
        return queue.size() >= queueCapacity;
    }

    /** Room for one more frame after those queued. */
    boolean hasRoom() {
        return queue.size() < queueCapacity;
    }

    /** A frame that found the queue full: refused out loud, never dropped silently. */
    void refuse(String meterId) {
        framesRefused++;
        log.get().warn("{}: queue full ({} frames), refused a frame from meter {} ({} refused so far)",
                concentratorId, queue.size(), meterId, framesRefused);
        outlet.notice(new FrameRefused(concentratorId, meterId, framesRefused));
    }

    /** Queues a frame; {@link #pump()} sends it when the window has room. The caller checks {@link #hasRoom()}. */
    void enqueue(String meterId, byte[] frame) {
        queue.addLast(new Pending(meterId, frame));
    }

    /**
     * The central system confirmed delivery {@code deliveryId}.
     *
     * @return false for a confirmation of a delivery never sent (or long forgotten): stray
     */
    boolean confirm(long deliveryId) {
        InFlight confirmed = inFlight.remove(deliveryId);
        if (confirmed == null && resentConfirmed.containsKey(deliveryId)) {
            return true; // the other copy of a resent delivery: already counted
        }
        if (confirmed == null) {
            log.get().warn("{}: confirmation of unknown delivery {}", concentratorId, deliveryId);
            return false;
        }
        framesDelivered++;
        if (confirmed.copies > 1) {
            resentConfirmed.put(deliveryId, Boolean.TRUE);
        }
        pump();
        return true;
    }

    /**
     * Resends every delivery whose time has come, with the same deliveryId and bytes, and doubles its wait.
     * Pekko delivers at most once: a frame to a central node that died, or its confirmation, may be lost, and
     * only the sender knows. The account confirms a copy it already persisted without taking it twice.
     */
    void resendDue() {
        long now = nanoTime.getAsLong();
        for (Map.Entry<Long, InFlight> e : inFlight.entrySet()) {
            InFlight f = e.getValue();
            if (f.resendAtNanos - now <= 0) {
                framesResent++;
                f.copies++;
                Duration doubled = f.backoff.multipliedBy(2);
                f.backoff = doubled.compareTo(MAX_RESEND_DELAY) > 0 ? MAX_RESEND_DELAY : doubled;
                f.resendAtNanos = now + f.backoff.toNanos();
                log.get().warn("{}: delivery {} for meter {} unconfirmed, sent again (next wait {})",
                        concentratorId, e.getKey(), f.meterId, f.backoff);
                outlet.deliver(e.getKey(), f.meterId, f.sent);
            }
        }
        scheduleResend(now);
    }

    /** One timer for the whole window, set to the earliest resend due. */
    private void scheduleResend(long now) {
        if (inFlight.isEmpty()) {
            outlet.noResend();
            return;
        }
        long earliest = Long.MAX_VALUE;
        for (InFlight f : inFlight.values()) {
            earliest = Math.min(earliest, f.resendAtNanos - now);
        }
        outlet.resendIn(Duration.ofNanos(Math.max(0, earliest)));
    }

    /** Sends what the window has room for, then tells the intake to pause or resume if a mark was crossed. */
    void pump() {
        boolean wasIdle = inFlight.isEmpty();
        while (inFlight.size() < window && !queue.isEmpty()) {
            Pending p = queue.pollFirst();
            long id = ++nextDeliveryId;
            byte[] sent = p.frame();
            inFlight.put(id, new InFlight(p.meterId(), sent, nanoTime.getAsLong() + resendAfter.toNanos(), resendAfter));
            framesForwarded++;
            outlet.deliver(id, p.meterId(), sent);
        }
        if (wasIdle && !inFlight.isEmpty()) {
            scheduleResend(nanoTime.getAsLong()); // a busy window keeps the timer it has: it fires for the oldest first
        } else if (inFlight.isEmpty()) {
            outlet.noResend();
        }
        if (!paused && queue.size() >= highWater) {
            paused = true;
            log.get().info("{}: {} frames queued, intake paused", concentratorId, queue.size());
            outlet.notice(new IntakePaused(concentratorId, queue.size()));
        } else if (paused && queue.size() <= lowWater) {
            paused = false;
            log.get().info("{}: {} frames queued, intake resumed", concentratorId, queue.size());
            outlet.notice(new IntakeResumed(concentratorId, queue.size()));
        }
    }

    int queued() {
        return queue.size();
    }

    int inFlight() {
        return inFlight.size();
    }

    boolean intakePaused() {
        return paused;
    }

    long framesForwarded() {
        return framesForwarded;
    }

    long framesDelivered() {
        return framesDelivered;
    }

    long framesRefused() {
        return framesRefused;
    }

    long framesResent() {
        return framesResent;
    }
}
