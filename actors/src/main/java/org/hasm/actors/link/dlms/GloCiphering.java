package org.hasm.actors.link.dlms;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.modes.gcm.BasicGCMMultiplier;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.Arrays;

/**
 * DLMS security suite 0 (AES-GCM-128) with one meter's global unicast encryption key EK and authentication key
 * AK, as the Green Book specifies it: the IV is the sender's 8-byte system title and the 4-byte invocation
 * counter; the associated data is the security control byte and AK (and, when only authenticated, the
 * plaintext); the tag is 12 bytes. The ciphered content of a glo-ciphered APDU is SC || IC || ciphertext ||
 * tag. AES-GCM is Bouncy Castle's; this class only lays out its inputs.
 */
public final class GloCiphering {
    /** Security control: the content is authenticated and encrypted (suite 0). */
    public static final int AUTHENTICATED_AND_ENCRYPTED = 0x30;
    /** Security control: authenticated only, as HLS mechanism 5's challenge replies are. */
    public static final int AUTHENTICATED = 0x10;
    public static final int TAG_LENGTH = 12;
    public static final int SYSTEM_TITLE_LENGTH = 8;
    private static final int KEY_LENGTH = 16;
    private static final int HEADER = 5;

    private final byte[] encryptionKey;
    private final byte[] authenticationKey;

    public GloCiphering(byte[] encryptionKey, byte[] authenticationKey) {
        if (encryptionKey.length != KEY_LENGTH || authenticationKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("suite 0 keys are 16 bytes");
        }
        this.encryptionKey = encryptionKey.clone();
        this.authenticationKey = authenticationKey.clone();
    }

    /** The content as opened: its security control, invocation counter and plaintext. */
    public record Opened(int securityControl, long invocationCounter, byte[] plaintext) {
    }

    /** SC || IC || ciphertext || tag, for a sender with {@code systemTitle} at counter {@code invocationCounter}. */
    public byte[] protect(byte[] systemTitle, long invocationCounter, byte[] plaintext) {
        GCMModeCipher gcm = cipher(true, systemTitle, invocationCounter, aad(AUTHENTICATED_AND_ENCRYPTED, new byte[0]));
        byte[] out = new byte[HEADER + gcm.getOutputSize(plaintext.length)];
        out[0] = (byte) AUTHENTICATED_AND_ENCRYPTED;
        ByteBuffer.wrap(out, 1, 4).putInt((int) invocationCounter);
        int n = gcm.processBytes(plaintext, 0, plaintext.length, out, HEADER);
        try {
            gcm.doFinal(out, HEADER + n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("sealing cannot fail", e);
        }
        return out;
    }

    /** The plaintext of content {@link #protect} made under {@code systemTitle}, or empty if it is not authentic. */
    public Optional<Opened> open(byte[] systemTitle, byte[] content) {
        if (content.length < HEADER + TAG_LENGTH || (content[0] & 0xFF) != AUTHENTICATED_AND_ENCRYPTED) {
            return Optional.empty();
        }
        long counter = ByteBuffer.wrap(content, 1, 4).getInt() & 0xFFFF_FFFFL;
        GCMModeCipher gcm = cipher(false, systemTitle, counter, aad(AUTHENTICATED_AND_ENCRYPTED, new byte[0]));
        byte[] plaintext = new byte[gcm.getOutputSize(content.length - HEADER)];
        int n = gcm.processBytes(content, HEADER, content.length - HEADER, plaintext, 0);
        try {
            gcm.doFinal(plaintext, n); // Bouncy Castle compares the tag in constant time
        } catch (InvalidCipherTextException e) {
            return Optional.empty();
        }
        return Optional.of(new Opened(AUTHENTICATED_AND_ENCRYPTED, counter, plaintext));
    }

    /**
     * HLS mechanism 5's f(challenge): the GMAC tag over SC (0x10) || AK || challenge, keyed by EK and the
     * IV of {@code systemTitle} and {@code invocationCounter}; what a party returns for the other's challenge.
     */
    public byte[] challengeTag(byte[] systemTitle, long invocationCounter, byte[] challenge) {
        GCMModeCipher gcm = cipher(true, systemTitle, invocationCounter, aad(AUTHENTICATED, challenge));
        byte[] tag = new byte[TAG_LENGTH];
        try {
            gcm.doFinal(tag, 0);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("a GMAC cannot fail", e);
        }
        return tag;
    }

    /** Whether {@code tag} is f(challenge) for that sender and counter; compared in constant time. */
    public boolean challengeTagVerifies(byte[] systemTitle, long invocationCounter, byte[] challenge, byte[] tag) {
        return Arrays.constantTimeAreEqual(challengeTag(systemTitle, invocationCounter, challenge), tag);
    }

    private byte[] aad(int securityControl, byte[] authenticatedOnly) {
        return Arrays.concatenate(new byte[] {(byte) securityControl}, authenticationKey, authenticatedOnly);
    }

    private GCMModeCipher cipher(boolean sealing, byte[] systemTitle, long invocationCounter, byte[] aad) {
        if (systemTitle.length != SYSTEM_TITLE_LENGTH) {
            throw new IllegalArgumentException("a system title has 8 bytes, not " + systemTitle.length);
        }
        if (invocationCounter < 0 || invocationCounter > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("an invocation counter is 4 bytes");
        }
        byte[] iv = ByteBuffer.allocate(SYSTEM_TITLE_LENGTH + 4).put(systemTitle).putInt((int) invocationCounter).array();
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance(), new BasicGCMMultiplier());
        gcm.init(sealing, new AEADParameters(new KeyParameter(encryptionKey), TAG_LENGTH * 8, iv, aad));
        return gcm;
    }
}
