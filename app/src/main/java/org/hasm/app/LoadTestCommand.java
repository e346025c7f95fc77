package org.hasm.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.HdrHistogram.Histogram;
import org.hasm.actors.fleet.SeededFleet;
import org.hasm.actors.sim.scenario.Scenario;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.StorageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.hasm.loadtest.CentralSystemTarget;
import org.hasm.loadtest.CentralTarget;
import org.hasm.loadtest.Fleet;
import org.hasm.loadtest.Inputs;
import org.hasm.loadtest.Latencies;
import org.hasm.loadtest.LoadGenerator;
import org.hasm.loadtest.LoadMeter;
import org.hasm.loadtest.LoadTestReport;
import org.hasm.loadtest.LocalTarget;
import org.hasm.loadtest.Pacer;
import org.hasm.loadtest.RemoteTarget;
import org.hasm.loadtest.Slo;
import org.hasm.loadtest.Stage;
import org.hasm.loadtest.StageResult;
import org.hasm.loadtest.TargetUnusable;

/**
 * {@code hasm load-test}: real meters against the central system, in stages, with an SLO on response times.
 */
@Command(name = "load-test", mixinStandardHelpOptions = true,
        description = {"Load-test the central system with real meters: throughput, latency percentiles, an SLO, a report.",
                "Real meters (provisioned keys, the meter's own AES-GCM sealing, increasing invocation counters) send"
                + " reading frames; each is timed from its intended send time to"
                + " the central system's persisted acknowledgement (HdrHistogram, coordinated omission corrected).",
                "Writes report.html and summary.json, prints a table per stage, and exits 1 when the SLO is broken"
                        + " (with --find-max: when not even the first rate met it)."})
public final class LoadTestCommand implements Callable<Integer> {
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--target", defaultValue = "local", paramLabel = "local|HOST:PORT",
            description = "The central system: 'local' starts one in this process (default), HOST:PORT a node of"
                    + " 'hasm node --role central'.")
    String target;

    @Option(names = "--seed-keys", paramLabel = "S",
            description = "With --target HOST:PORT: the seed the central node derives its meters' keys from, as given"
                    + " to `hasm node --seed-keys` (default: the default scenario's seed, as the node's default).")
    Long seedKeys;

    @Option(names = "--connect-timeout", defaultValue = "20", paramLabel = "SECONDS",
            description = "With --target HOST:PORT: give up when the central node does not answer within this many"
                    + " seconds (default: ${DEFAULT-VALUE}).")
    int connectTimeoutSeconds;

    @Option(names = "--meters", defaultValue = "1000", paramLabel = "N", description = "Meters (default: ${DEFAULT-VALUE}).")
    int meters;

    @Option(names = "--model", defaultValue = "open", paramLabel = "open|closed",
            description = "open: frames on a fixed schedule at --rate, whatever the answers (default); closed:"
                    + " --concurrency frames unacknowledged at a time.")
    String model;

    @Option(names = "--rate", paramLabel = "R/s", description = "Frames a second, open model (default: 1000/s).")
    String rate;

    @Option(names = "--ramp", paramLabel = "FROM:TO:STEP",
            description = "Stages at FROM, FROM+STEP, ... TO frames a second, each lasting --duration.")
    String ramp;

    @Option(names = "--concurrency", paramLabel = "C", description = "Frames in flight, closed model (default: 64).")
    Integer concurrency;

    @Option(names = "--duration", defaultValue = "10s", paramLabel = "D",
            description = "Length of each stage: 30s, 2m, 500ms (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--warm-up", defaultValue = "10s", paramLabel = "D",
            description = "Run the first stage's load this long before measuring, left out of the results: the JIT"
                    + " compiles the hot paths meanwhile (0 to skip; default: ${DEFAULT-VALUE}).")
    String warmUp;

    @Option(names = "--slo", defaultValue = "p99<100ms", paramLabel = "SLO",
            description = "Objective on response times, e.g. \"p99<100ms\" or \"p50<20ms,p99.9<=250ms,max<2s\""
                    + " (default: ${DEFAULT-VALUE}).")
    String slo;

    @Option(names = "--find-max",
            description = "Step the rate up (--ramp, or from --rate in steps of --rate) until a stage breaks the SLO;"
                    + " report the highest rate that met it.")
    boolean findMax;

    @Option(names = "--tamper-every", defaultValue = "0", paramLabel = "K",
            description = "Flip a bit of every K-th frame after sealing: the accounts must refuse it (BAD_TAG)"
                    + " (default: none).")
    int tamperEvery;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "Seed of the meters' readings, and of their keys with --target local.")
    long seed;

    @Option(names = "--report", defaultValue = "hasm-load-test-report", paramLabel = "DIR",
            description = {"Where to write report.html and summary.json (default: ${DEFAULT-VALUE}).",
                    "A new or empty directory, or one that holds only an earlier report; one with other files only with"
                            + " --force; never inside --data."})
    Path reportDir;

    @Mixin
    OutputTarget.Force force;

    /** Longer stages than this are a typo (and past about 292 years, more nanoseconds than a long holds). */
    private static final Duration LONGEST_STAGE = Duration.ofDays(7);

    @Mixin
    LoadTestStorage storage;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try {
            return loadTest();
        } catch (TargetUnusable e) {
            throw new UserError(e.getMessage());
        }
    }

    private Integer loadTest() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Slo objective;
        List<Stage> stages;
        Inputs.HostPort remote;
        try {
            objective = Slo.parse(slo);
            if (!warmUp.strip().equals("0")) {
                atMostAWeek("--warm-up", warmUp, Inputs.duration(warmUp));
            }
            stages = stages();
            atMostAWeek("--duration", duration, stages.get(0).duration());
            remote = target.equals("local") ? null : Inputs.hostPort(target);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        checkNumbers(remote);
        String startedAt = Instant.now().toString();
        List<StageResult> results = new ArrayList<>();
        Double knee = null;
        String targetDescription;
        CentralTarget central = connect(out, remote);
        if (central instanceof CentralSystemTarget t) {
            SignalStop.watch(t.system, spec.commandLine().getErr(), () -> results.size() + " of " + stages.size()
                    + " stage(s) had finished; no report is written");
        }
        try {
            targetDescription = central.describe();
            out.printf(Locale.ROOT, "load test: %,d meters, %d stage(s) of %s, SLO %s; %s%n", meters, stages.size(),
                    duration, objective.text(), targetDescription);
            out.flush();
            List<LoadMeter> fleet = fleet(central);
            // the cluster forms, shards are allocated and each account recovers before the clock starts: a stage
            // measures the steady state, not the first seconds of a cold central system
            long warming = System.nanoTime();
            central.tally(fleet.stream().map(LoadMeter::meterId).toList());
            out.printf(Locale.ROOT, "%,d accounts started in %.1f s%n", meters, (System.nanoTime() - warming) / 1e9);
            LoadGenerator generator = new LoadGenerator(central, fleet, Pacer.SYSTEM, tamperEvery, DRAIN_TIMEOUT);
            knee = runStages(out, generator, stages, objective, results);
        } finally {
            central.close();
        }
        if (SignalStop.stopping()) {
            throw new SignalStop.Stopped(); // the last stage was cut short: no figures to report
        }
        LoadTestReport.Summary summary = LoadTestReport.summarize(startedAt, targetDescription, meters, objective, findMax,
                knee, results);
        LoadTestReport.print(out, summary);
        if (findMax) {
            out.println(knee == null ? "knee: not even the first rate met the SLO"
                    : String.format(Locale.ROOT, "knee: %,.0f frames/s is the highest rate that met %s", knee, objective.text()));
        }
        try {
            LoadTestReport.write(reportDir, summary);
            out.println("report: " + reportDir.resolve(LoadTestReport.HTML).toAbsolutePath().normalize() + " (with "
                    + LoadTestReport.JSON + ")");
        } catch (IOException e) {
            out.flush();
            spec.commandLine().getErr().println("hasm: could not write the report to " + reportDir + ": "
                    + OutputTarget.reason(e));
            return HasmCommand.CHECK_FAILED;
        }
        return summary.sloMet() ? 0 : HasmCommand.CHECK_FAILED;
    }

    private static void atMostAWeek(String option, String text, Duration d) {
        if (d.compareTo(LONGEST_STAGE) > 0) {
            throw new IllegalArgumentException(option + " " + text + " is longer than a stage may last (7 days)");
        }
    }

    /** The numbers and their combinations, checked before anything starts. */
    private void checkNumbers(Inputs.HostPort remote) {
        if (meters < 1 || meters > 1_000_000) {
            throw new UserError("--meters is 1 to 1,000,000, not " + meters);
        }
        if (tamperEvery < 0) {
            throw new UserError("--tamper-every is a number of frames (0 for none), not " + tamperEvery);
        }
        OutputTarget.reportDir("--report", reportDir, force.force, java.util.Set.of(LoadTestReport.HTML, LoadTestReport.JSON),
                remote != null || storage.db != null ? List.of() : List.of(storage.data));
        if (remote == null && seedKeys != null) {
            throw new UserError("--seed-keys is for --target HOST:PORT: a local central system gets its meters' keys"
                    + " from this process");
        }
        if (remote != null && meters > 99_999) {
            throw new UserError("--meters with --target HOST:PORT is at most 99,999 (m00000 to m99999), not " + meters);
        }
        if (connectTimeoutSeconds < 1) {
            throw new UserError("--connect-timeout must be at least 1 second, not " + connectTimeoutSeconds);
        }
    }

    /** The central system in this process on {@code --data}/{@code --db}, or the central node of {@code --target}. */
    private CentralTarget connect(PrintWriter out, Inputs.HostPort remote) {
        CentralTarget central;
        if (remote == null) {
            JournalStore store = storage.open(out);
            try {
                central = LocalTarget.start(store);
            } catch (StorageException e) {
                throw new UserError(e.getMessage());
            }
        } else {
            out.printf(Locale.ROOT, "joining the central node at %s:%d ...%n", remote.host(), remote.port());
            out.flush();
            central = RemoteTarget.connect(remote.host(), remote.port(), Duration.ofSeconds(connectTimeoutSeconds));
        }
        return central;
    }

    /** A remote node's meters go on after the counters its accounts last took; local ones are provisioned afresh. */
    private List<LoadMeter> fleet(CentralTarget central) {
        List<LoadMeter> fleet;
        if (central instanceof RemoteTarget r) {
            List<String> ids = java.util.stream.IntStream.range(0, meters).mapToObj(SeededFleet::meterId).toList();
            java.util.Map<String, Long> last = r.resume(ids, Duration.ofSeconds(Math.max(30, connectTimeoutSeconds)));
            long keys = seedKeys != null ? seedKeys : Scenario.loadDefault().seed();
            try (ProgressBar bar = ProgressBars.bar("deriving meters' keys", meters)) {
                fleet = Fleet.seeded(meters, keys, seed, last, bar::stepTo);
            }
        } else {
            String prefix = "lt" + Long.toString(System.currentTimeMillis(), 36) + "-";
            try (ProgressBar bar = ProgressBars.bar("provisioning meters", meters)) {
                fleet = Fleet.provision(meters, seed, prefix, central, bar::stepTo);
            }
        }
        return fleet;
    }

    /**
     * The warm-up, then every stage in turn; with {@code --find-max} they stop at the first that breaks the SLO.
     * Returns the highest rate that met it ({@code null} if none did, or without {@code --find-max}).
     */
    private Double runStages(PrintWriter out, LoadGenerator generator, List<Stage> stages, Slo objective,
                             List<StageResult> results) {
        Double knee = null;
        Duration warm = warmUp.strip().equals("0") ? Duration.ZERO : Inputs.duration(warmUp);
        if (!warm.isZero()) {
            Stage first = stages.get(0);
            StageResult w = runStage(generator, new Stage(-1, first.model(), first.rate(), first.concurrency(), warm));
            out.printf(Locale.ROOT, "warm-up at %s for %s: %,d sent, %,.0f ok/s, p99 %.1f ms (not counted)%n",
                    first.label(), warmUp, w.sent(), w.throughput(), Latencies.at(w.responseTimes(), 99) / 1000.0);
        }
        for (Stage stage : stages) {
            StageResult r = runStage(generator, stage);
            results.add(r);
            List<String> broken = objective.broken(r.responseTimes());
            out.printf(Locale.ROOT, "stage %-20s %,9d sent, %,9.0f ok/s, p99 %s: SLO %s%n", stage.label(), r.sent(),
                    r.throughput(), p99(r.responseTimes()),
                    broken.isEmpty() ? "met" : "BROKEN (" + String.join("; ", broken) + ")");
            out.flush();
            if (findMax) {
                if (!broken.isEmpty()) {
                    break;
                }
                knee = stage.rate();
            }
        }
        return knee;
    }

    /**
     * While the stage runs, its bar shows the last second's rate and p99; once it has run, the stage's, the
     * figures its line below the bar and the report give.
     */
    private static StageResult runStage(LoadGenerator generator, Stage stage) {
        long seconds = Math.max(1, stage.duration().toSeconds());
        long started = System.nanoTime();
        long[] acknowledged = {0};
        try (ProgressBar bar = ProgressBars.seconds((stage.index() < 0 ? "warm-up " : "stage ") + stage.label(), seconds)) {
            StageResult r = generator.run(stage, p -> {
                acknowledged[0] += p.acknowledged();
                bar.stepTo(Math.min(seconds, (System.nanoTime() - started) / 1_000_000_000L));
                bar.setExtraMessage(String.format(Locale.ROOT, "  %,d acknowledged; last second: %,.0f ok/s, p99 %s",
                        acknowledged[0], p.throughput(), p.p99() == null ? "-" : String.format(Locale.ROOT, "%.1f ms", p.p99())));
            });
            if (!SignalStop.stopping()) {
                bar.stepTo(seconds); // the last frame is due 1/rate before the end: the last sample may fall short
            }
            bar.setExtraMessage(String.format(Locale.ROOT, "  %,d acknowledged; the stage: %,.0f ok/s, p99 %s",
                    r.acknowledged(), r.throughput(), p99(r.responseTimes())));
            return r;
        }
    }

    /** "4.2 ms", or "-" when nothing was acknowledged. */
    private static String p99(Histogram responseTimes) {
        return responseTimes.getTotalCount() == 0 ? "-"
                : String.format(Locale.ROOT, "%.1f ms", Latencies.at(responseTimes, 99) / 1000.0);
    }

    private List<Stage> stages() {
        Duration d = Inputs.duration(duration);
        boolean closed = switch (model) {
            case "open" -> false;
            case "closed" -> true;
            default -> throw new IllegalArgumentException("unknown --model '" + model + "': open or closed");
        };
        if (rate != null && ramp != null) {
            throw new IllegalArgumentException("give --rate or --ramp, not both");
        }
        if (closed) {
            if (rate != null || ramp != null || findMax) {
                throw new IllegalArgumentException("the closed model takes --concurrency, not --rate, --ramp or --find-max");
            }
            int c = concurrency == null ? 64 : concurrency;
            if (c < 1 || c > 100_000) {
                throw new IllegalArgumentException("--concurrency is 1 to 100,000, not " + c);
            }
            return List.of(Stage.closed(0, c, d));
        }
        if (concurrency != null) {
            throw new IllegalArgumentException("--concurrency is for --model closed; the open model takes --rate or --ramp");
        }
        List<Double> rates;
        if (ramp != null) {
            rates = Inputs.ramp(ramp);
        } else {
            double r = Inputs.rate(rate == null ? "1000" : rate);
            rates = new ArrayList<>(List.of(r));
            while (findMax && rates.size() < Inputs.MAX_STAGES && r * (rates.size() + 1) <= Inputs.MAX_RATE) {
                rates.add(r * (rates.size() + 1));
            }
        }
        List<Stage> out = new ArrayList<>();
        for (int i = 0; i < rates.size(); i++) {
            out.add(Stage.open(i, rates.get(i), d));
        }
        return out;
    }
}
