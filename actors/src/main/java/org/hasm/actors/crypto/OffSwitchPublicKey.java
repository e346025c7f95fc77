package org.hasm.actors.crypto;

import java.util.Objects;

/**
 * The public half of one meter's {@link OffSwitchKeys}, labelled with the meter it belongs to. This is
 * what OffSwitchSecurity is provisioned with; it can verify switch commands and forge none.
 */
public record OffSwitchPublicKey(String meterId, VerifyingKey key) {
    public OffSwitchPublicKey {
        Objects.requireNonNull(meterId, "meterId");
        Objects.requireNonNull(key, "key");
    }
}
