package org.hasm.loadtest;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.hasm.persistence.jdbc.JournalStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The central system's ingest against its floor, in one run on one database: the same generator and meters drive
 * first {@link FloorTarget} (Pekko sharding, typed persistence and pekko-persistence-jdbc with nothing of hasm's)
 * and then {@link LocalTarget} (hasm's {@code MeterAccount}s), alternating which goes first in each round. For each
 * it steps an open-model rate up until p99 breaks the SLO and runs one closed stage. It prints the knees, the closed
 * throughputs and the process's CPU per frame, and hasm's figures as ratios to the floor's: what the mandated stack
 * alone allows on this machine, and how much of it hasm's own work takes. Not a test: BENCHMARKS.md, "Load test".
 */
@Command(name = "StackFloorBenchmark", mixinStandardHelpOptions = true,
        description = "hasm's central-system ingest against the bare stack under it, same run, same database.")
public final class StackFloorBenchmark implements Callable<Integer> {
    private static final Slo SLO = Slo.parse("p99<100ms");

    @Option(names = "--db", paramLabel = "URL", description = "PostgreSQL JDBC URL (user and password from HASM_DB_USER"
            + " and HASM_DB_PASSWORD); default: a fresh H2 file database per run under a temporary directory.")
    String db;

    @Option(names = "--meters", defaultValue = "1000", description = "Meters (default: ${DEFAULT-VALUE}).")
    int meters;

    @Option(names = "--ramp", defaultValue = "6000:20000:2000", paramLabel = "FROM:TO:STEP",
            description = "Open-model rates, stepped up until one breaks p99<100ms (default: ${DEFAULT-VALUE}).")
    String ramp;

    @Option(names = "--duration", defaultValue = "20s", description = "Each stage (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--warm-up", defaultValue = "30s", description = "Load at the first rate before measuring"
            + " (default: ${DEFAULT-VALUE}).")
    String warmUp;

    @Option(names = "--concurrency", defaultValue = "500", description = "Frames in flight in the closed stage"
            + " (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--only", paramLabel = "floor|hasm", description = "Run one of the two, e.g. under a profiler"
            + " (default: both).")
    String only;

    @Option(names = "--rounds", defaultValue = "2", description = "Rounds of floor and hasm, the first going first in"
            + " odd rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    private record Run(String kind, int round, Double knee, double closedThroughput, double closedP99Ms,
                       double cpuMicrosPerFrame) {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new StackFloorBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<Double> rates = Inputs.ramp(ramp);
        Duration stage = Inputs.duration(duration);
        Duration warm = Inputs.duration(warmUp);
        List<Run> runs = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            List<String> order = round % 2 == 1 ? List.of("floor", "hasm") : List.of("hasm", "floor");
            for (String kind : order) {
                if (only == null || only.equals(kind)) {
                    runs.add(run(kind, round, rates, stage, warm));
                }
            }
        }
        if (only != null && runs.isEmpty()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--only is floor or hasm, not '" + only + "'");
        }
        System.out.println();
        System.out.println("kind   round   knee (p99<100ms)   closed ok/s   closed p99   JVM CPU per frame (closed)");
        for (Run r : runs) {
            System.out.printf(Locale.ROOT, "%-6s %5d   %16s   %11.0f   %7.1f ms   %.1f us%n", r.kind(), r.round(),
                    r.knee() == null ? "none" : String.format(Locale.ROOT, "%,.0f/s", r.knee()), r.closedThroughput(),
                    r.closedP99Ms(), r.cpuMicrosPerFrame());
        }
        for (int round = 1; round <= rounds && only == null; round++) {
            Run floor = find(runs, "floor", round);
            Run hasm = find(runs, "hasm", round);
            System.out.printf(Locale.ROOT, "round %d: hasm/floor knee %s, closed throughput %.2f, JVM CPU per frame %.2f%n",
                    round, floor.knee() == null || hasm.knee() == null ? "-"
                            : String.format(Locale.ROOT, "%.2f", hasm.knee() / floor.knee()),
                    hasm.closedThroughput() / floor.closedThroughput(), hasm.cpuMicrosPerFrame() / floor.cpuMicrosPerFrame());
        }
        return 0;
    }

    private static Run find(List<Run> runs, String kind, int round) {
        return runs.stream().filter(r -> r.kind().equals(kind) && r.round() == round).findFirst().orElseThrow();
    }

    private Run run(String kind, int round, List<Double> rates, Duration stage, Duration warm) throws Exception {
        Path dir = db != null ? null : Files.createTempDirectory("hasm-floor-" + kind + "-");
        JournalStore store = db != null ? JournalStore.fromEnvironment(db) : JournalStore.h2(dir);
        CentralTarget target = kind.equals("floor") ? FloorTarget.start(store) : LocalTarget.start(store);
        try {
            String prefix = kind.charAt(0) + Long.toString(System.currentTimeMillis(), 36) + "-";
            List<LoadMeter> fleet = Fleet.provision(meters, 1, prefix, target, i -> { });
            target.tally(fleet.stream().map(LoadMeter::meterId).toList());
            LoadGenerator generator = new LoadGenerator(target, fleet, Pacer.SYSTEM, 0, Duration.ofSeconds(30));
            StageResult w = generator.run(Stage.open(-1, rates.get(0), warm), p -> { });
            print(kind, round, "warm-up " + w.stage().label(), w);
            Double knee = null;
            for (int i = 0; i < rates.size(); i++) {
                StageResult r = generator.run(Stage.open(i, rates.get(i), stage), p -> { });
                boolean met = SLO.broken(r.responseTimes()).isEmpty();
                print(kind, round, r.stage().label() + (met ? " met" : " BROKEN"), r);
                if (!met) {
                    break;
                }
                knee = rates.get(i);
            }
            long cpuBefore = processCpuNanos();
            StageResult closed = generator.run(Stage.closed(rates.size(), concurrency, stage), p -> { });
            double cpuPerFrame = (processCpuNanos() - cpuBefore) / 1e3 / Math.max(1, closed.acknowledged());
            print(kind, round, closed.stage().label(), closed);
            return new Run(kind, round, knee, closed.throughput(), Latencies.at(closed.responseTimes(), 99) / 1000.0,
                    cpuPerFrame);
        } finally {
            target.close();
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
        }
    }

    private static void print(String kind, int round, String what, StageResult r) {
        System.out.printf(Locale.ROOT, "%-6s round %d  %-28s %,9d sent %,9d acknowledged %,9.0f ok/s  p99 %7.1f ms%n",
                kind, round, what, r.sent(), r.acknowledged(), r.throughput(), Latencies.at(r.responseTimes(), 99) / 1000.0);
        System.out.flush();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
