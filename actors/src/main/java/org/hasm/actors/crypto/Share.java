package org.hasm.actors.crypto;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.math.BigInteger;
import java.util.Objects;

/**
 * One contribution to an {@link AggregationScheme} round, or a combination of several. It crosses from the
 * meters' node to the concentrator's inside {@code AggregationShare}, so the wire form names the kind.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "scheme")
@JsonSubTypes({@JsonSubTypes.Type(value = Share.Masked.class, name = "masked"),
        @JsonSubTypes.Type(value = Share.Encrypted.class, name = "encrypted")})
public sealed interface Share permits Share.Masked, Share.Encrypted {

    long round();

    /** A {@link ZeroSumMasking} share: reading plus pairwise masks, mod 2<sup>64</sup>. */
    record Masked(long round, long value) implements Share {
    }

    /** A {@link PaillierAggregation} share: a Paillier ciphertext, an element of Z*<sub>n²</sub>. */
    record Encrypted(long round, BigInteger ciphertext) implements Share {
        public Encrypted {
            Objects.requireNonNull(ciphertext, "ciphertext");
        }
    }
}
