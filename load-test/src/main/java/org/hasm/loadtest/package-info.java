/**
 * The load generator against the central system (DESIGN section 1.3): {@code hasm load-test}. Real meters
 * (provisioned keys, the meter's own AES-GCM sealing, increasing invocation counters) send reading frames to
 * a {@link org.hasm.loadtest.CentralTarget} on a fixed schedule; latency runs from each frame's intended send
 * time to the central system's persisted acknowledgement, in HdrHistogram.
 */
package org.hasm.loadtest;
