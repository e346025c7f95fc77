package org.hasm.policy.kernel;

/**
 * Told of every dropped message, on the receiving actor's thread: implementations must only hand the
 * violation on (the meter sends it to its SecurityLog), never block.
 */
@FunctionalInterface
public interface ViolationListener {
    ViolationListener NONE = v -> { };

    void onViolation(Violation violation);
}
