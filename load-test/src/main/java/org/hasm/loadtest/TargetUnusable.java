package org.hasm.loadtest;

/**
 * The central node named as the load test's target cannot be used (not reached, unknown host, too few meters):
 * a mistake in what the user asked for, which the command line prints as one line.
 */
public final class TargetUnusable extends RuntimeException {
    public TargetUnusable(String message) {
        super(message);
    }
}
