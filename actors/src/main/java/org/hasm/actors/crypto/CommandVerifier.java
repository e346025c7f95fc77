package org.hasm.actors.crypto;

import java.util.EnumSet;
import java.util.Set;

/**
 * Checks commands at one meter with one public key, and keeps the anti-replay state for that key.
 *
 * <p>Two instances per meter, one per module (separation of duties):
 * <ul>
 *   <li>{@link #forCentralSystemCommands}: in CsSecurity, the central system's command key, every kind
 *       except switch commands;</li>
 *   <li>{@link #forSwitchCommands}: in OffSwitchSecurity, the meter's off-switch public key, switch
 *       commands only.</li>
 * </ul>
 * Checks in order: meter id, kind, signature, sequence. Sequence is checked last so that
 * {@link CommandVerdict#REPLAYED} always means a genuine command seen again. The last accepted sequence
 * moves only on acceptance; the owner persists it ({@link #lastAcceptedSequence()}) and restores it
 * through the factories. Freshness by {@link SignedCommand#issuedAtEpochSeconds()} is left to the owner,
 * which has the Clock. Never throws for any command. Not thread-safe: owned by one module.
 */
public final class CommandVerifier {
    private final String meterId;
    private final VerifyingKey key;
    private final Set<CommandKind> acceptedKinds;
    private long lastAcceptedSequence;

    private CommandVerifier(String meterId, VerifyingKey key, Set<CommandKind> acceptedKinds,
                            long lastAcceptedSequence) {
        if (lastAcceptedSequence < 0) {
            throw new IllegalArgumentException("sequence out of range: " + lastAcceptedSequence);
        }
        this.meterId = meterId;
        this.key = key;
        this.acceptedKinds = acceptedKinds;
        this.lastAcceptedSequence = lastAcceptedSequence;
    }

    public static CommandVerifier forCentralSystemCommands(String meterId, VerifyingKey commandKey,
                                                           long lastAcceptedSequence) {
        Set<CommandKind> kinds = EnumSet.noneOf(CommandKind.class);
        for (CommandKind kind : CommandKind.values()) {
            if (!kind.isSwitchCommand()) {
                kinds.add(kind);
            }
        }
        return new CommandVerifier(meterId, commandKey, kinds, lastAcceptedSequence);
    }

    public static CommandVerifier forSwitchCommands(OffSwitchPublicKey offSwitchKey, long lastAcceptedSequence) {
        Set<CommandKind> kinds = EnumSet.noneOf(CommandKind.class);
        for (CommandKind kind : CommandKind.values()) {
            if (kind.isSwitchCommand()) {
                kinds.add(kind);
            }
        }
        return new CommandVerifier(offSwitchKey.meterId(), offSwitchKey.key(), kinds, lastAcceptedSequence);
    }

    /** Verifies {@code command} and, if accepted, consumes its sequence number. */
    public CommandVerdict verify(SignedCommand command) {
        if (!meterId.equals(command.meterId())) {
            return CommandVerdict.WRONG_METER;
        }
        if (!acceptedKinds.contains(command.kind())) {
            return CommandVerdict.KIND_NOT_ALLOWED;
        }
        if (!key.verifies(command.signedBytes(), command.signature())) {
            return CommandVerdict.BAD_SIGNATURE;
        }
        if (command.sequence() <= lastAcceptedSequence) {
            return CommandVerdict.REPLAYED;
        }
        lastAcceptedSequence = command.sequence();
        return CommandVerdict.ACCEPTED;
    }

    /** The value to persist: the sequence number of the last accepted command, 0 if none. */
    public long lastAcceptedSequence() {
        return lastAcceptedSequence;
    }
}
