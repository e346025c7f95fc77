package org.hasm.actors.crypto;

import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.modes.gcm.BasicGCMMultiplier;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * One AES-128-GCM cipher for one key and one direction (sealing or opening), keyed once. AES's key
 * schedule and GHASH's subkey H are computed for the first frame; every later frame only sets its own IV and
 * associated data, which Bouncy Castle's {@link GCMBlockCipher} supports by being initialised with
 * {@link AEADParameters} that carry no key. Each initialisation resets all per-message state, so a frame that
 * failed to open leaves nothing behind for the next one; for sealing, Bouncy Castle also refuses an IV equal
 * to the previous one. Keying per frame had cost a loaded central system 4-5 % of its CPU (BENCHMARKS.md,
 * "Load test").
 *
 * <p>GHASH uses Bouncy Castle's {@link BasicGCMMultiplier}, not the default 4 KiB table: the table costs more
 * to build than frames of a few blocks cost to process (BENCHMARKS.md), and its lookups are indexed by
 * key-dependent bytes, which the constant-time bitwise multiplication avoids.
 *
 * <p>Not thread-safe: owned by the one {@link GcmFrameSealer} or {@link GcmFrameOpener} that owns the key.
 */
final class KeyedGcm {
    private final ChannelKey key;
    private final boolean forSealing;
    /** Created on the first frame, so that a channel that never carries one costs no cipher. */
    private GCMModeCipher gcm;

    KeyedGcm(ChannelKey key, boolean forSealing) {
        this.key = key;
        this.forSealing = forSealing;
    }

    /** The cipher, ready for the frame whose header is in {@code frame[0 .. 13)} (layout in {@link GcmFrame}). */
    GCMModeCipher forFrame(byte[] frame) {
        if (gcm == null) {
            // kept only once keyed, so that a later frame never meets a cipher without a key
            GCMModeCipher fresh = GCMBlockCipher.newInstance(AESEngine.newInstance(), new BasicGCMMultiplier());
            fresh.init(forSealing, parameters(key.parameter(), frame));
            gcm = fresh;
        } else {
            gcm.init(forSealing, parameters(null, frame)); // no key: Bouncy Castle keeps the one it has
        }
        return gcm;
    }

    private static AEADParameters parameters(KeyParameter keyOrNull, byte[] frame) {
        return new AEADParameters(keyOrNull, GcmFrame.TAG_LENGTH * 8, GcmFrame.iv(frame), GcmFrame.associatedData(frame));
    }
}
