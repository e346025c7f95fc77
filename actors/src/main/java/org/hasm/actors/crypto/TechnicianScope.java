package org.hasm.actors.crypto;

/**
 * What a maintenance technician may do with a {@link TechnicianCredential}. Codes are part of the signed
 * encoding: add constants, never renumber. None of them reaches the off-switch (P10).
 */
public enum TechnicianScope {
    /** Read logs and diagnostics. */
    READ_DIAGNOSTICS(1),
    /** Also change operational parameters. */
    MAINTENANCE(2),
    /** Also take the meter out of service for replacement. */
    METER_EXCHANGE(3);

    private final int code;

    TechnicianScope(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    static TechnicianScope fromCode(int code) {
        for (TechnicianScope scope : values()) {
            if (scope.code == code) {
                return scope;
            }
        }
        return null;
    }
}
