package org.hasm.actors.crypto;

/**
 * The central system's signer for ordinary (non-switch) commands, with its fleet-wide command key.
 * Switch commands are refused here: they are signed only with the addressed meter's
 * {@link OffSwitchKeys}, so that this key, if stolen, cannot switch anyone off.
 */
public final class CommandSigner {
    private final SigningKeys commandKey;

    public CommandSigner(SigningKeys commandKey) {
        this.commandKey = commandKey;
    }

    public SignedCommand sign(String meterId, long sequence, long issuedAtEpochSeconds, CommandKind kind,
                              byte[] payload) {
        if (kind.isSwitchCommand()) {
            throw new IllegalArgumentException(kind + " must be signed with the meter's off-switch key");
        }
        return SignedCommand.sign(commandKey, meterId, sequence, issuedAtEpochSeconds, kind, payload);
    }
}
