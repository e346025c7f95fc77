package org.hasm.policy.kernel;

/**
 * What travels between parts: the payload and the capability of the channel it was sent on. Parts
 * never build envelopes; {@link Channel#send} does.
 */
public record Envelope(Capability capability, Object payload) {
}
