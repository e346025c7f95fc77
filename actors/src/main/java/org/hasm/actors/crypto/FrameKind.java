package org.hasm.actors.crypto;

/**
 * What a sealed frame carries. The kind byte travels in clear in the frame header and is authenticated as
 * associated data, so the concentrator can route frames without reading them and cannot relabel one.
 * Codes are part of the wire format: add constants, never renumber.
 */
public enum FrameKind {
    /** Meter → CS: interval readings for billing. */
    READINGS(0x01),
    /** Meter → CS: a signed hash-chain head of a log segment (DESIGN.md section 6). */
    LOG_ANCHOR(0x02),
    /** Meter → CS: an event or alarm (tamper, refused command, log flood summary). */
    EVENT(0x03),
    /** Meter → CS: the outcome of a command. */
    COMMAND_RESULT(0x04),
    /** CS → meter: a {@link SignedCommand}. */
    COMMAND(0x10),
    /** CS → meter: acknowledgement of frames received, so the meter may release readings. */
    ACKNOWLEDGEMENT(0x11);

    private final byte code;

    FrameKind(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The kind with this code, or {@code null} if no kind has it. */
    static FrameKind fromCode(byte code) {
        for (FrameKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }
}
