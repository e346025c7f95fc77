package org.hasm.actors.central;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The last deliveries one {@link MeterAccount} persisted: the concentrator's delivery id and the SHA-256 of
 * the frame's bytes. The concentrator resends an unconfirmed delivery with the same id and bytes; that copy
 * is confirmed again, not opened twice. A frame with an old counter under any other id, or other bytes under
 * a remembered id, is still opened (and refused as a replay).
 *
 * <p>A ring of flat arrays rather than a map: an account consults it on every frame, and a map of boxed
 * entries per account cost a loaded central system 7 % of its CPU in cache misses and in references from
 * old objects to young ones (BENCHMARKS.md, "Load test"). It starts small and doubles up to its capacity,
 * so an account that sees few frames holds little. Not thread-safe: owned by one account.
 */
final class DeliveryMemory {
    static final int DIGEST_LENGTH = 32;
    private static final int INITIAL_SLOTS = 16;

    private final int capacity;
    private final MessageDigest sha256;
    private long[] ids = new long[0];
    private byte[] digests = new byte[0];
    /** Slots in use; once it reaches {@link #capacity}, the oldest is overwritten. */
    private int size;
    /** The slot the next delivery goes to. */
    private int next;
    /** No remembered delivery has a higher id, so a concentrator's next (higher) id needs no scan. */
    private long highestId = Long.MIN_VALUE;

    /** @param capacity how many deliveries it remembers: more than a concentrator's window */
    DeliveryMemory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The fingerprint {@link #persisted} and {@link #remember} take. */
    byte[] digest(byte[] frame) {
        return sha256.digest(frame);
    }

    /** Whether a delivery with this id and these bytes ({@link #digest}) was remembered. */
    boolean persisted(long deliveryId, byte[] digest) {
        if (deliveryId > highestId) {
            return false;
        }
        for (int slot = 0; slot < size; slot++) {
            // not a secret: the sender has the bytes, so a plain comparison is fine here
            if (ids[slot] == deliveryId && Arrays.equals(digests, slot * DIGEST_LENGTH, (slot + 1) * DIGEST_LENGTH,
                    digest, 0, DIGEST_LENGTH)) {
                return true;
            }
        }
        return false;
    }

    /** Remembers a persisted delivery, forgetting the oldest once {@code capacity} are held. */
    void remember(long deliveryId, byte[] digest) {
        if (digest.length != DIGEST_LENGTH) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, not " + digest.length);
        }
        if (next == ids.length && ids.length < capacity) {
            int slots = Math.min(capacity, Math.max(INITIAL_SLOTS, ids.length * 2));
            ids = Arrays.copyOf(ids, slots);
            digests = Arrays.copyOf(digests, slots * DIGEST_LENGTH);
        }
        ids[next] = deliveryId;
        highestId = Math.max(highestId, deliveryId);
        System.arraycopy(digest, 0, digests, next * DIGEST_LENGTH, DIGEST_LENGTH);
        size = Math.max(size, next + 1);
        next = (next + 1) % capacity;
    }
}
