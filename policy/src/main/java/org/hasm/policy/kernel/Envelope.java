package org.hasm.policy.kernel;

import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.hasm.policy.MessageType;

/**
 * What travels between parts: the payload, its type, and the capability of the channel it was sent on.
 * Parts never build envelopes; {@link Channel#send} does, taking the type from the payload itself.
 *
 * <p>It never leaves the process: a capability is proof only to the kernel that issued it, so it has no
 * wire form. Between nodes the payload travels alone (docs/cluster.md).
 */
public record Envelope(Capability capability, MessageType type, Object payload) implements NoSerializationVerificationNeeded {
}
