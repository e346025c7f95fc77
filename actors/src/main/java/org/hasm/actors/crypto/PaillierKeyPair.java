package org.hasm.actors.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;

/**
 * A Paillier key pair (EUROCRYPT '99) with {@code g = n + 1}, one per aggregation group.
 *
 * <p>A Paillier modulus is exactly an RSA modulus: {@code n = p·q} for two random primes of equal length.
 * So the primes come from Bouncy Castle's {@link RSAKeyPairGenerator}, which draws them with
 * Miller-Rabin testing sized for the bit length and enforces the FIPS 186 conditions (|p − q| large, no
 * low-weight modulus); the RSA exponent it also produces is discarded, and the one constraint it adds
 * ({@code p-1} and {@code q-1} coprime to 65537) costs Paillier nothing. Equal-length primes give
 * {@code gcd(n, (p-1)(q-1)) = 1}, which Paillier needs; it is checked anyway.
 *
 * <p>Generating a 2048-bit pair takes around a second: generate once per group and keep it.
 */
public final class PaillierKeyPair {
    public static final int MODULUS_BITS = 2048;
    private static final BigInteger UNUSED_RSA_EXPONENT = BigInteger.valueOf(65537);
    private static final int PRIME_CERTAINTY = 128;

    private final PaillierPublicKey publicKey;
    private final PaillierPrivateKey privateKey;

    private PaillierKeyPair(BigInteger p, BigInteger q) {
        BigInteger n = p.multiply(q);
        BigInteger phi = p.subtract(BigInteger.ONE).multiply(q.subtract(BigInteger.ONE));
        if (p.equals(q) || !n.gcd(phi).equals(BigInteger.ONE)) {
            throw new IllegalStateException("the RSA generator gave primes unfit for Paillier");
        }
        this.publicKey = new PaillierPublicKey(n);
        this.privateKey = new PaillierPrivateKey(publicKey, p, q);
    }

    /** A fresh {@value #MODULUS_BITS}-bit key pair. */
    public static PaillierKeyPair generate(SecureRandom random) {
        RSAKeyPairGenerator primes = new RSAKeyPairGenerator();
        primes.init(new RSAKeyGenerationParameters(UNUSED_RSA_EXPONENT, random, MODULUS_BITS, PRIME_CERTAINTY));
        RSAPrivateCrtKeyParameters rsa = (RSAPrivateCrtKeyParameters) primes.generateKeyPair().getPrivate();
        return new PaillierKeyPair(rsa.getP(), rsa.getQ());
    }

    public PaillierPublicKey publicKey() {
        return publicKey;
    }

    public PaillierPrivateKey privateKey() {
        return privateKey;
    }
}
