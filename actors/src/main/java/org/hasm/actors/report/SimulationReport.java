package org.hasm.actors.report;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a simulation run measured, for {@link ReportWriter}: one row per metering interval, the alerts
 * the central system received, and the totals of the summary table. Plain records of numbers and
 * names, so it serializes as it is.
 *
 * @param scenario       the scenario's name
 * @param start          the first interval's start, epoch milliseconds (UTC)
 * @param intervalMillis the metering interval
 * @param intervals      in time order, one per metering interval, index 0 first
 * @param alerts         in time order
 */
public record SimulationReport(String scenario, String description, long seed, int meters, int days, long start,
                               long intervalMillis, List<Interval> intervals, List<Alert> alerts, Totals totals) {

    /**
     * One metering interval as the concentrator and the central system saw it at its end.
     *
     * @param aggregateWh      the concentrator's aggregate of the meters' readings (P14: a sum, never one reading)
     * @param feederWh         what the feeder (transformer) meter measured
     * @param metersOn         supply on, at the end of the interval
     * @param metersOff        supply off
     * @param metersArmed      remotely switched on, waiting for the consumer's confirmation (P12)
     * @param prepaidCreditSum credit of all prepaid meters, milli-cents
     * @param prepaidCreditMin the lowest credit of one prepaid meter, milli-cents
     * @param drops            policy drops per rule during this interval
     * @param logEntries       entries per log segment so far, all meters together
     */
    public record Interval(int index, long time, long aggregateWh, long feederWh, int metersOn, int metersOff,
                           int metersArmed, long prepaidCreditSum, long prepaidCreditMin, Map<String, Long> drops,
                           Map<String, Long> logEntries) {
        public Interval {
            drops = sorted(drops);
            logEntries = sorted(logEntries);
        }
    }

    /** An alert the central system received: fraud, a tampered frame, a refused bulk switch-off, ... */
    public record Alert(long time, String kind, String detail) {
    }

    /**
     * The summary table.
     *
     * @param switchEvents      actuations of the meters' off-switches, off and on
     * @param dropsPerRule      policy drops per rule, the whole run
     * @param entriesPerSegment log entries per segment at the end, all meters together
     * @param fingerprint       over all chain heads: the same seed and scenario give the same one
     */
    public record Totals(long readings, long bills, long switchEvents, long alerts, Map<String, Long> dropsPerRule,
                         Map<String, Long> entriesPerSegment, double readingsPerSecond, long wallTimeMillis,
                         String fingerprint) {
        public Totals {
            dropsPerRule = sorted(dropsPerRule);
            entriesPerSegment = sorted(entriesPerSegment);
        }
    }

    public SimulationReport {
        intervals = List.copyOf(intervals);
        alerts = List.copyOf(alerts);
        // one after the other; a run resumed after its meters node died starts later than interval 0
        for (int i = 1; i < intervals.size(); i++) {
            if (intervals.get(i).index() != intervals.get(0).index() + i) {
                throw new IllegalArgumentException("interval " + i + " of the report has index " + intervals.get(i).index()
                        + ", not " + (intervals.get(0).index() + i));
            }
        }
        description = description == null ? "" : description;
    }

    /** A deterministic order (by name), so the same run gives the same files. */
    private static Map<String, Long> sorted(Map<String, Long> m) {
        return Collections.unmodifiableMap(new TreeMap<>(m));
    }
}
