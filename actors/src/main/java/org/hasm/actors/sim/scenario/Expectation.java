package org.hasm.actors.sim.scenario;

import java.util.Arrays;
import java.util.Optional;

/** An outcome a scenario promises and its test asserts, as written in the scenario's {@code expect} block. */
public enum Expectation {
    /** Readings missing at the concentrator at the end of the run. */
    READINGS_LOST("readings-lost"),
    /** Fraud alerts raised while nobody steals. */
    FALSE_ALERTS("false-alerts"),
    /** A theft is alerted on at most this many intervals after it starts. */
    THEFT_DETECTED_WITHIN_INTERVALS("theft-detected-within-intervals"),
    /** P16: meters actually switched off by bulk requests, at most. */
    MAX_SWITCH_OFFS("max-switch-offs"),
    /** P16: bulk switch-off attempts in the central system's log, at least. */
    BULK_ATTEMPTS_LOGGED("bulk-attempts-logged"),
    /** P11: OffSwitchLog entries lost (commands received but not logged). */
    OFF_SWITCH_ENTRIES_LOST("off-switch-entries-lost"),
    /** Policy drops (P1) counted, at least: a compromised module's off-policy sends. */
    MIN_POLICY_DROPS("min-policy-drops"),
    /** Switch actuations a compromised module caused. */
    UNAUTHORISED_SWITCH_OFFS("unauthorised-switch-offs"),
    /** P14: frames the concentrator edited or replayed that the central system detected and logged. */
    TAMPERED_FRAMES_DETECTED("tampered-frames-detected"),
    /** Daily bills per credit meter. */
    BILLS_PER_METER("bills-per-meter"),
    /** Prepaid meters cut off for zero credit and back on after a top-up, at least. */
    MIN_PREPAID_RECONNECTIONS("min-prepaid-reconnections");

    private final String key;

    Expectation(String key) {
        this.key = key;
    }

    /** Its name in a scenario file. */
    public String key() {
        return key;
    }

    public static Optional<Expectation> ofKey(String key) {
        return Arrays.stream(values()).filter(e -> e.key.equals(key)).findFirst();
    }
}
