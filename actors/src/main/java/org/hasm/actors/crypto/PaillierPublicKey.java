package org.hasm.actors.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.util.BigIntegers;

/**
 * A Paillier public key (EUROCRYPT '99) with the standard generator {@code g = n + 1}: what meters and the
 * concentrator hold. Plaintexts are readings mod {@code n}; negative readings wrap and are recovered by
 * {@link PaillierPrivateKey#decrypt}.
 *
 * <p>Encryption: {@code c = g^m · r^n mod n²} with {@code r} uniform in Z*<sub>n</sub>. Because
 * {@code g = n + 1}, {@code g^m = 1 + m·n mod n²} (binomial theorem), which saves one exponentiation.
 * Homomorphic addition: {@code E(a) · E(b) mod n² = E(a + b)}.
 */
public final class PaillierPublicKey {
    private final BigInteger n;
    private final BigInteger nSquared;

    public PaillierPublicKey(BigInteger n) {
        if (n.signum() <= 0 || !n.testBit(0)) {
            throw new IllegalArgumentException("a Paillier modulus is a positive odd number");
        }
        this.n = n;
        this.nSquared = n.multiply(n);
    }

    public BigInteger modulus() {
        return n;
    }

    BigInteger modulusSquared() {
        return nSquared;
    }

    /** A fresh encryption of {@code plaintext}; two encryptions of one value differ (fresh {@code r}). */
    public BigInteger encrypt(long plaintext, SecureRandom random) {
        BigInteger m = BigInteger.valueOf(plaintext).mod(n);
        BigInteger r;
        do {
            r = BigIntegers.createRandomInRange(BigInteger.ONE, n.subtract(BigInteger.ONE), random);
        } while (!r.gcd(n).equals(BigInteger.ONE));
        BigInteger gToM = BigInteger.ONE.add(m.multiply(n)).mod(nSquared);
        return gToM.multiply(r.modPow(n, nSquared)).mod(nSquared);
    }

    /** An encryption of the sum of the plaintexts of {@code a} and {@code b}. */
    public BigInteger add(BigInteger a, BigInteger b) {
        return a.multiply(b).mod(nSquared);
    }

    /** Whether {@code c} is an element of Z*<sub>n²</sub>, i.e. could be a ciphertext under this key. */
    public boolean isCiphertext(BigInteger c) {
        return c.signum() > 0 && c.compareTo(nSquared) < 0 && c.gcd(n).equals(BigInteger.ONE);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PaillierPublicKey other && n.equals(other.n);
    }

    @Override
    public int hashCode() {
        return n.hashCode();
    }

    @Override
    public String toString() {
        return "PaillierPublicKey[" + n.bitLength() + " bits]";
    }
}
