package org.hasm.actors.crypto;

import java.math.BigInteger;

/**
 * A Paillier private key (EUROCRYPT '99): held by whoever may read aggregates (the central system or a
 * designated aggregator), never by the concentrator.
 *
 * <p>With {@code λ = lcm(p-1, q-1)} and {@code L(u) = (u-1)/n}, decryption is
 * {@code m = L(c^λ mod n²) · μ mod n}; for {@code g = n + 1}, {@code L(g^λ mod n²) = λ mod n}, so
 * {@code μ = λ⁻¹ mod n}. Results above {@code n/2} are read as negative, so signed sums come back signed.
 */
public final class PaillierPrivateKey {
    private final PaillierPublicKey publicKey;
    private final BigInteger lambda;
    private final BigInteger mu;

    PaillierPrivateKey(PaillierPublicKey publicKey, BigInteger p, BigInteger q) {
        BigInteger pMinus1 = p.subtract(BigInteger.ONE);
        BigInteger qMinus1 = q.subtract(BigInteger.ONE);
        this.publicKey = publicKey;
        this.lambda = pMinus1.multiply(qMinus1).divide(pMinus1.gcd(qMinus1));
        this.mu = lambda.modInverse(publicKey.modulus());
    }

    public PaillierPublicKey publicKey() {
        return publicKey;
    }

    /**
     * The plaintext of {@code ciphertext}, as a signed value.
     *
     * @throws IllegalArgumentException if {@code ciphertext} is not in Z*<sub>n²</sub>
     * @throws ArithmeticException if the plaintext does not fit in a {@code long}
     */
    public long decrypt(BigInteger ciphertext) {
        if (!publicKey.isCiphertext(ciphertext)) {
            throw new IllegalArgumentException("not a ciphertext under this key");
        }
        BigInteger n = publicKey.modulus();
        BigInteger u = ciphertext.modPow(lambda, publicKey.modulusSquared());
        BigInteger m = u.subtract(BigInteger.ONE).divide(n).multiply(mu).mod(n);
        if (m.compareTo(n.shiftRight(1)) > 0) {
            m = m.subtract(n);
        }
        return m.longValueExact();
    }

    @Override
    public String toString() {
        return "PaillierPrivateKey[redacted]";
    }
}
