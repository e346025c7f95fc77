package org.hasm.policy;

import java.util.Objects;

/** One allowed flow: {@code sender} may send messages of {@code type} to {@code receiver}. */
public record Flow(Part sender, Part receiver, MessageType type) {
    public Flow {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(type, "type");
    }

    @Override
    public String toString() {
        return sender + " -> " + receiver + " : " + type;
    }
}
