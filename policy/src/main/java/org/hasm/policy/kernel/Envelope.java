package org.hasm.policy.kernel;

import org.hasm.policy.MessageType;

/**
 * What travels between parts: the payload, its type, and the capability of the channel it was sent on.
 * Parts never build envelopes; {@link Channel#send} does, taking the type from the payload itself.
 */
public record Envelope(Capability capability, MessageType type, Object payload) {
}
