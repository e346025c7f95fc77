package org.hasm.actors.concentrator;

import java.util.EnumMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.hasm.actors.concentrator.DataConcentrator.StartTampering;
import org.hasm.actors.concentrator.DataConcentrator.Tampering;
import org.slf4j.Logger;

/**
 * A compromised concentrator's tampering (a scenario), apart from honest store and forward so that the
 * honest path reads without it: which of the frames taken in are edited or replayed, turn by turn. The
 * central system's openers refuse both. Not thread-safe: owned by one actor.
 */
final class FrameTampering {
    private final String concentratorId;
    /** The actor's logger, asked for at each line as the actor itself does. */
    private final Supplier<Logger> log;
    /** Frames each tampering mode still touches; the settings' mode touches every frame. */
    private final EnumMap<Tampering, Long> tamperingLeft = new EnumMap<>(Tampering.class);

    FrameTampering(String concentratorId, Tampering always, Supplier<Logger> log) {
        this.concentratorId = concentratorId;
        this.log = log;
        if (always != Tampering.NONE) {
            tamperingLeft.put(always, Long.MAX_VALUE);
        }
    }

    /** A turn adds to what earlier ones left, of either mode; {@link Tampering#NONE} stops all of it. */
    void start(StartTampering t) {
        if (t.mode() == Tampering.NONE) {
            tamperingLeft.clear();
            log.get().warn("{}: tampering stopped", concentratorId);
            return;
        }
        long left = tamperingLeft.merge(t.mode(), (long) t.frames(), (a, b) -> a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b);
        log.get().warn("{}: tampering {} with the next {} frames", concentratorId, t.mode(), left);
    }

    /**
     * Puts one frame taken in on {@code queue}: edited, or as it came and, when {@code roomForCopy} says so, once
     * more as a replay. Decided in the order frames and turns arrive, and a frame gets one kind at most.
     */
    void admit(byte[] frame, Consumer<byte[]> queue, BooleanSupplier roomForCopy) {
        if (tampers(Tampering.EDIT)) {
            queue.accept(edited(frame));
        } else {
            queue.accept(frame);
            if (roomForCopy.getAsBoolean() && tampers(Tampering.REPLAY)) {
                queue.accept(frame.clone());
            }
        }
    }

    /** Whether this frame is one to tamper with in {@code mode}, counting it. */
    private boolean tampers(Tampering mode) {
        long left = tamperingLeft.getOrDefault(mode, 0L);
        if (left <= 0) {
            return false;
        }
        if (left != Long.MAX_VALUE) {
            tamperingLeft.put(mode, left - 1);
        }
        return true;
    }

    private static byte[] edited(byte[] frame) {
        byte[] edited = frame.clone();
        edited[edited.length - 1] ^= 0x01; // past the header, so only authentication can tell
        return edited;
    }
}
