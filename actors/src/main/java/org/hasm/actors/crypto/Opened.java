package org.hasm.actors.crypto;

/** The outcome of {@link GcmFrameOpener#open(byte[])}: a genuine, fresh frame or a typed refusal. */
public sealed interface Opened permits Opened.Ok, Opened.Refused {

    /**
     * A frame that is authentic, addressed by the expected sender and newer than every frame accepted
     * before. {@code plaintext} is a fresh array owned by the caller.
     */
    record Ok(FrameKind kind, long counter, byte[] plaintext) implements Opened {
    }

    /** A frame that was not accepted; nothing about it may be acted on. */
    record Refused(Reason reason) implements Opened {
    }

    enum Reason {
        /** Too short, too long, unknown kind or counter 0: not a frame of this layout at all. */
        MALFORMED,
        /** The header names another sender than the one this opener serves. */
        WRONG_METER,
        /** The GCM tag does not verify: altered in transit, or sealed under another key. */
        BAD_TAG,
        /** Authentic, but its counter is not above the last accepted one: a replay or a reordering. */
        REPLAYED
    }
}
