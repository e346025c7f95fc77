package org.hasm.actors.crypto;

import java.util.List;
import java.util.Set;

/**
 * Privacy-preserving aggregation of one group's readings for the data concentrator (P14: it learns sums
 * over the group, never one meter's reading). Two implementations, benchmarked side by side:
 * {@link ZeroSumMasking} (Kursawe, Danezis, Kohlweiss, PETS 2011) and {@link PaillierAggregation}
 * (Paillier, EUROCRYPT '99).
 *
 * <p>Three roles, each with its own material:
 * <ul>
 *   <li><b>meter</b> (DcSecurity of meter {@code i}): {@link #meter(int)} hides a reading;</li>
 *   <li><b>concentrator</b>: {@link #combine(List)} folds shares and needs no secret;</li>
 *   <li><b>reader</b>: {@link #reader()} turns the combined share into the sum. For zero-sum masking that
 *       is the concentrator itself (no secret needed); for Paillier it is the private-key holder (central
 *       system or a designated aggregator), never the concentrator.</li>
 * </ul>
 *
 * <p>One round, with {@code P} the meters present and {@code M} the meters missing:
 * <ol>
 *   <li>every {@code i} in {@code P} sends {@code meter(i).share(round, reading_i)};</li>
 *   <li>if {@code M} is not empty, the concentrator asks every {@code i} in {@code P} for
 *       {@code meter(i).recoveryShare(round, M)};</li>
 *   <li>{@code reader().total(combine(shares ++ recovery shares)) == Σ_{i∈P} reading_i}, exactly.</li>
 * </ol>
 * Totals are exact while the true sum fits in a {@code long}.
 *
 * <p>An object of this interface holds the material of all roles of one group, which suits wiring,
 * simulation set-up, tests and benchmarks; each actor is handed only its own role object.
 */
public interface AggregationScheme {

    /** A short name for reports and benchmarks. */
    String name();

    /** The number of meters in the group; meter indexes are {@code 0 .. groupSize()-1}. */
    int groupSize();

    /** The part of the scheme meter {@code meterIndex}'s DcSecurity holds. */
    MeterShares meter(int meterIndex);

    /** The concentrator's step: fold shares of one round (shares and recovery shares alike). */
    Share combine(List<? extends Share> shares);

    /** The party that can read a combined share. */
    AggregateReader reader();

    /** One meter's side of the scheme. */
    interface MeterShares {
        int meterIndex();

        /** This meter's reading for {@code round}, hidden from everyone but the reader of the sum. */
        Share share(long round, long reading);

        /**
         * What this (present) meter contributes so that the sum over the present meters stays exact although
         * {@code missingMeters} sent nothing for {@code round}. The concentrator must discard any late
         * share of a missing meter for that round once it has asked for recovery.
         */
        Share recoveryShare(long round, Set<Integer> missingMeters);
    }

    /** Reads the sum behind a combined share. */
    interface AggregateReader {
        long total(Share combined);
    }
}
