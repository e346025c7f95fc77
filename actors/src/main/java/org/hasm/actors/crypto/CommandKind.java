package org.hasm.actors.crypto;

/**
 * What a {@link SignedCommand} asks the meter to do. Switch commands are the only ones signed with a
 * meter's {@link OffSwitchKeys} and the only ones OffSwitchSecurity accepts; every other command is signed
 * with the central system's command key and goes to CsSecurity. Codes are part of the signed encoding:
 * add constants, never renumber.
 */
public enum CommandKind {
    /** Open the breaker. */
    SWITCH_OFF(0x01, true),
    /** Arm the breaker: it closes only after the consumer confirms on the Display (P12). */
    SWITCH_ON(0x02, true),
    /** Switch between credit and prepaid mode. */
    SET_PAYMENT_MODE(0x10, false),
    /** Install a tariff table. */
    SET_TARIFF(0x11, false),
    /** Switch an appliance on the HAN for load balancing (rate-limited by P13). */
    APPLIANCE_SWITCH(0x12, false),
    /** Correct the meter clock (bounded and logged). */
    CLOCK_SYNC(0x13, false),
    /** Change a load-balancing limit (P13 parameters). */
    SET_LOAD_LIMIT(0x14, false);

    private final int code;
    private final boolean switchCommand;

    CommandKind(int code, boolean switchCommand) {
        this.code = code;
        this.switchCommand = switchCommand;
    }

    public int code() {
        return code;
    }

    /** Whether this command operates the breaker and so must carry an off-switch signature. */
    public boolean isSwitchCommand() {
        return switchCommand;
    }

    static CommandKind fromCode(int code) {
        for (CommandKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }
}
