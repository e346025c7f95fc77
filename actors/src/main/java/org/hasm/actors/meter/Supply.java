package org.hasm.actors.meter;

/**
 * The off-switch's supply states, as in GB SMETS2 meters: ARMED means a switch-on was accepted and
 * waits for the consumer to press the Display button (P12); the breaker is still open.
 */
public enum Supply {
    ON, ARMED, OFF
}
