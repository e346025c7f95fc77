package org.hasm.policy.kernel;

import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.Rule;

/**
 * One message the guard dropped. {@code sender} is the kernel-stamped sender, or null when there is
 * none to trust (no envelope, forged capability); {@code type} is null when the payload is not a
 * {@link PolicyMessage}.
 */
public record Violation(String meterId, Rule rule, DropReason reason, Part sender, Part receiver,
                        MessageType type, String payloadClass) {

    public DropKey key() {
        return new DropKey(rule, sender == null ? "?" : sender.name(), receiver.name(), type == null ? payloadClass : type.name());
    }

    /** What the drop counter counts by: rule, sender, receiver, type. */
    public record DropKey(Rule rule, String sender, String receiver, String type) {
    }
}
