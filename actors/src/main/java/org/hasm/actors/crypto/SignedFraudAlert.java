package org.hasm.actors.crypto;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A data concentrator's signed statement that, for the consecutive intervals {@code fromRound ..
 * toRound}, its feeder (transformer) meter measured more energy than its meters' aggregate plus the
 * expected technical losses explain: energy is being taken unmetered somewhere behind that feeder.
 *
 * <p>Signed encoding ({@link CanonicalEncoding}), Ed25519 with the concentrator's alert key:
 * <pre>
 * domain  "hasm/fraud-alert/v1"
 * text    concentrator id
 * i64     fromRound     first interval of the streak (interval start / interval length)
 * i64     toRound       last interval of the streak
 * i64     feederWh      feeder energy over the streak
 * i64     aggregateWh   the meters' aggregate over the streak
 * i64     lossesPpm     the technical losses the concentrator allowed for, parts per million of feederWh
 * </pre>
 * Wire form: the signed encoding followed by the 64-byte signature.
 */
public record SignedFraudAlert(String concentratorId, long fromRound, long toRound, long feederWh, long aggregateWh,
                               long lossesPpm, byte[] signature) {
    static final String DOMAIN = "hasm/fraud-alert/v1";

    public SignedFraudAlert {
        Objects.requireNonNull(concentratorId, "concentratorId");
        if (toRound < fromRound) {
            throw new IllegalArgumentException("an alert's streak ends before it starts");
        }
        signature = signature.clone();
    }

    public static SignedFraudAlert sign(SigningKeys alertKey, String concentratorId, long fromRound, long toRound,
                                        long feederWh, long aggregateWh, long lossesPpm) {
        byte[] body = signedBytes(concentratorId, fromRound, toRound, feederWh, aggregateWh, lossesPpm);
        return new SignedFraudAlert(concentratorId, fromRound, toRound, feederWh, aggregateWh, lossesPpm, alertKey.sign(body));
    }

    public boolean verifies(VerifyingKey alertKey) {
        return alertKey.verifies(signedBytes(concentratorId, fromRound, toRound, feederWh, aggregateWh, lossesPpm), signature);
    }

    private static byte[] signedBytes(String concentratorId, long fromRound, long toRound, long feederWh, long aggregateWh,
                                      long lossesPpm) {
        return new CanonicalEncoding.Writer(DOMAIN).text(concentratorId).i64(fromRound).i64(toRound).i64(feederWh)
                .i64(aggregateWh).i64(lossesPpm).toBytes();
    }

    public byte[] encode() {
        return CanonicalEncoding.withTrailer(signedBytes(concentratorId, fromRound, toRound, feederWh, aggregateWh, lossesPpm),
                signature);
    }

    /** The alert in {@code wire}, or empty if it is not a well-formed one. Says nothing about the signature. */
    public static Optional<SignedFraudAlert> decode(byte[] wire) {
        try {
            CanonicalEncoding.Reader in = new CanonicalEncoding.Reader(wire, DOMAIN);
            String concentratorId = in.text();
            long fromRound = in.i64();
            long toRound = in.i64();
            long feederWh = in.i64();
            long aggregateWh = in.i64();
            long lossesPpm = in.i64();
            byte[] signature = in.trailer(SigningKeys.SIGNATURE_LENGTH);
            if (toRound < fromRound) {
                return Optional.empty();
            }
            return Optional.of(new SignedFraudAlert(concentratorId, fromRound, toRound, feederWh, aggregateWh, lossesPpm, signature));
        } catch (CanonicalEncoding.Malformed e) {
            return Optional.empty();
        }
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedFraudAlert a && concentratorId.equals(a.concentratorId) && fromRound == a.fromRound
                && toRound == a.toRound && feederWh == a.feederWh && aggregateWh == a.aggregateWh
                && lossesPpm == a.lossesPpm && Arrays.equals(signature, a.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(concentratorId, fromRound, toRound, feederWh, aggregateWh, lossesPpm);
    }

    @Override
    public String toString() {
        return "SignedFraudAlert[" + concentratorId + " rounds " + fromRound + ".." + toRound + ", feeder " + feederWh
                + " Wh, aggregate " + aggregateWh + " Wh]";
    }
}
