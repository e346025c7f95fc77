package org.hasm.actors.concentrator;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hasm.actors.crypto.AggregationScheme;
import org.hasm.actors.crypto.PaillierAggregation;
import org.hasm.actors.crypto.Share;
import org.hasm.actors.crypto.ZeroSumMasking;

/**
 * The concentrator's role in one aggregation group: it can fold the group's shares and, for zero-sum
 * masking only, read the sum. It holds neither the meters' masking keys nor a Paillier private key, so it is
 * handed only the two operations of {@link AggregationScheme} it needs, never the scheme itself.
 */
public final class AggregationGroup {
    private final String id;
    private final int size;
    private final String scheme;
    private final Combiner combiner;
    private final AggregationScheme.AggregateReader reader;

    @FunctionalInterface
    private interface Combiner {
        Share combine(List<Share> shares);
    }

    private AggregationGroup(String id, int size, String scheme, Combiner combiner, AggregationScheme.AggregateReader reader) {
        this.id = Objects.requireNonNull(id, "id");
        this.size = size;
        this.scheme = scheme;
        this.combiner = combiner;
        this.reader = reader;
    }

    /** Zero-sum masking: once the masks cancel, the concentrator reads the sum itself. */
    public static AggregationGroup zeroSum(String id, ZeroSumMasking scheme) {
        return new AggregationGroup(id, scheme.groupSize(), scheme.name(), scheme::combine, scheme.reader());
    }

    /** Paillier: the concentrator only multiplies ciphertexts; pass the scheme {@code withoutKeyHolder}. */
    public static AggregationGroup paillier(String id, PaillierAggregation publicSide) {
        return new AggregationGroup(id, publicSide.groupSize(), publicSide.name(), publicSide::combine, null);
    }

    public String id() {
        return id;
    }

    public int size() {
        return size;
    }

    public String scheme() {
        return scheme;
    }

    Share combine(List<Share> shares) {
        return combiner.combine(shares);
    }

    /** Present for zero-sum masking, empty for Paillier (the central system reads). */
    Optional<AggregationScheme.AggregateReader> reader() {
        return Optional.ofNullable(reader);
    }

    @Override
    public String toString() {
        return "AggregationGroup[" + id + ", " + size + " meters, " + scheme + "]";
    }
}
