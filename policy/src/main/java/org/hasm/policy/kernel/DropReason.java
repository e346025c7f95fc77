package org.hasm.policy.kernel;

/** Why the guard refused a message. */
public enum DropReason {
    /** A bare message, not sent through a kernel channel. */
    NO_ENVELOPE,
    /** The envelope's capability was not issued by this meter's kernel. */
    FORGED_CAPABILITY,
    /** A genuine capability, but for another receiver. */
    MISROUTED,
    /** Sender, receiver and type are genuine but the policy does not allow the flow. */
    NOT_IN_POLICY
}
