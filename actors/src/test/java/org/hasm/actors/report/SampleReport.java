package org.hasm.actors.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.hasm.actors.sim.LoadProfile;
import org.hasm.actors.sim.scenario.SimulationSettings;

/**
 * A synthetic one-day run, for the report's tests and for looking at the report:
 * {@code java ... org.hasm.actors.report.SampleReport DIR} writes it to DIR. The numbers are made up but
 * shaped like a run: real household load profiles, a theft from 17:00 the feeder sees, prepaid meters cut
 * off as credit runs out, a compromised module at 10:00 whose messages the guard drops.
 */
public final class SampleReport {
    private static final long INTERVAL = 15 * 60_000L;

    private SampleReport() {
    }

    public static SimulationReport oneDay() {
        int meters = 1000;
        int households = 200; // profiles summed and scaled: enough for the shape
        List<LoadProfile> profiles = new ArrayList<>();
        for (int h = 0; h < households; h++) {
            profiles.add(new LoadProfile(42, h));
        }
        SplittableRandom r = new SplittableRandom(42);
        List<SimulationReport.Interval> intervals = new ArrayList<>();
        List<SimulationReport.Alert> alerts = new ArrayList<>();
        long credit = 200L * 1_000 * 100_000; // 200 prepaid meters with 1,000 units each, in milli-cents
        long minCredit = 300L * 100_000;
        int off = 0;
        int armed = 0;
        Map<String, Long> entries = new TreeMap<>(Map.of("MetrologyLog", 0L, "SecurityLog", 0L, "OffSwitchLog", 0L));
        for (int k = 0; k < 96; k++) {
            long t = SimulationSettings.START + k * INTERVAL;
            long wh = 0;
            for (LoadProfile p : profiles) {
                wh += p.energyWh(t, INTERVAL);
            }
            wh = wh * meters / households;
            long stolen = k >= 68 ? profiles.get(17).energyWh(t, INTERVAL) * 6 / 10 * 40 : 0;
            long feeder = Math.round(wh * 1.035) + stolen;
            credit -= wh * 200 / meters * 25; // Wh at 25,000 milli-cents per kWh
            minCredit = Math.max(0, minCredit - r.nextLong(1_000, 3_000_000));
            if (minCredit == 0 && k % 6 == 0) {
                off += 1 + r.nextInt(4);
                minCredit = 150L * 100_000;
            }
            if (k % 10 == 9 && off > 0) {
                armed++;
                off--;
                credit += 20L * 100_000;
            }
            if (k % 3 == 0 && armed > 0) {
                armed--;
            }
            Map<String, Long> drops = k == 40 ? Map.of("P2", 12L, "P5", 30L) : k == 41 ? Map.of("P5", 4L) : Map.of();
            if (k == 40) {
                alerts.add(new SimulationReport.Alert(t + 120_000, "policy drops", "m00009: Communications sent 42 messages off-policy"));
            }
            if (k == 36) {
                alerts.add(new SimulationReport.Alert(t + 60_000, "tampered frame", "m00131: frame edited by the concentrator"));
            }
            if (k >= 70 && k <= 72) {
                alerts.add(new SimulationReport.Alert(t + INTERVAL, "fraud", "feeder exceeds the aggregate by " + stolen + " Wh"));
            }
            entries.merge("MetrologyLog", (long) meters, Long::sum);
            entries.merge("SecurityLog", k % 4 == 0 ? (long) meters : 3L, Long::sum);
            entries.merge("OffSwitchLog", (long) (r.nextInt(3) + (k == 40 ? 42 : 0)), Long::sum);
            intervals.add(new SimulationReport.Interval(k, t, wh, feeder, meters - off - armed, off, armed, credit, minCredit,
                    drops, Map.copyOf(entries)));
        }
        SimulationReport.Totals totals = new SimulationReport.Totals(96L * meters, meters, 57, alerts.size(),
                Map.of("P2", 12L, "P5", 34L), entries, 41_230.5, 2_328, "5f0c3a9e41d27b86c0e1f5a2d9b4c7e8a1f3b6d0c2e4f6a8b0d2c4e6f8a0b1c3");
        return new SimulationReport("sample", "a synthetic day for looking at the report", 42, meters, 1,
                SimulationSettings.START, INTERVAL, intervals, alerts, totals);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/sample-report");
        ReportWriter.write(dir, oneDay());
        System.out.println(dir.resolve(ReportWriter.HTML).toAbsolutePath());
    }
}
