package org.hasm.loadtest;

import java.util.concurrent.locks.LockSupport;

/**
 * The generator's time: {@link System#nanoTime()} and parking on the generator's own thread, or a virtual
 * clock in tests (so a test of the schedule needs no sleeps).
 */
public interface Pacer {
    long nanoTime();

    /** Returns once {@link #nanoTime()} has reached {@code deadline}; called on the generator's thread only. */
    void awaitUntil(long deadline);

    /** Real time. It parks rather than spins: two cores are shared with the system under test. */
    Pacer SYSTEM = new Pacer() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void awaitUntil(long deadline) {
            for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
        }
    };
}
