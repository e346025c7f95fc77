package org.hasm.app;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.link.ClusterSettings;
import org.hasm.actors.cluster.MemberUp;
import org.hasm.actors.central.LogKeyRegister;
import org.hasm.actors.fleet.SeededFleet;
import org.hasm.actors.forensics.StoreVerification;
import org.hasm.actors.meter.Needs;
import org.hasm.actors.report.ReportWriter;
import org.hasm.actors.report.SimulationReport;
import org.hasm.actors.sim.Neighbourhood;
import org.hasm.actors.sim.scenario.Action;
import org.hasm.actors.sim.scenario.Scenario;
import org.hasm.actors.sim.scenario.ScenarioException;
import org.hasm.actors.sim.scenario.SimulationSettings;
import org.hasm.persistence.jdbc.ChainHeads;
import org.hasm.persistence.jdbc.EntryTimeline;
import org.hasm.persistence.jdbc.H2Housekeeping;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.SchemaCreator;
import org.hasm.persistence.jdbc.StorageException;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.verify.PolicyVerifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs a neighbourhood: households with real meters (16 guarded parts each, real keys), their
 * segments on the embedded H2 database or PostgreSQL, driven through virtual time.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Run a neighbourhood simulation: households with real meters, their logs in the database,"
                + " a summary and a report (report.html, summary.json, readings.csv).",
                "Scenarios: neighbourhood, theft, blackout-attack, log-flood, prepaid-week, compromised-module,"
                        + " tampering-concentrator, or a HOCON file (see scenarios/README.md).",
                "The scenario's timeline (operator actions and attacks) runs at its simulated times."})
final class SimulateCommand implements Callable<Integer> {
    @Mixin
    PolicyOption policy;

    @Mixin
    StorageOptions storage;

    @Option(names = "--scenario", defaultValue = Scenario.DEFAULT_NAME, paramLabel = "FILE|NAME",
            description = "Scenario file or built-in name (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--meters", paramLabel = "N", description = "Households (default: the scenario's).")
    Integer meters;

    @Option(names = "--days", paramLabel = "D", description = "Simulated days (default: the scenario's).")
    Integer days;

    @Option(names = "--seed", paramLabel = "S", description = "Seed for households and keys (default: the scenario's).")
    Long seed;

    @Option(names = "--report", defaultValue = "hasm-report", paramLabel = "DIR",
            description = {"Where to write report.html, summary.json and readings.csv (default: ${DEFAULT-VALUE}).",
                    "A new or empty directory, or one that holds only an earlier report; one with other files only with"
                            + " --force; never inside --data."})
    Path reportDir;

    @Mixin
    OutputTarget.Force force;

    @Option(names = "--processes", defaultValue = "1", paramLabel = "1|3",
            description = {"1 (default): the whole neighbourhood in this process.",
                    "3: a central node and a concentrator node in two child processes on this machine ('hasm node'),"
                            + " the meters and the driver in this one; the children stop with the run, also on Ctrl-C"
                            + " or an error. Same seed and scenario, same fingerprint as in one process."})
    int processes;

    @Option(names = "--join", paramLabel = "HOST:PORT",
            description = "Run the meters here and join the cluster of a central node and a concentrator node started"
                    + " with 'hasm node' (on this host or others), for this scenario, meters and seed.")
    String join;

    @Option(names = "--resume",
            description = "With --join: go on with a run whose meters node died, on the logs it left in --data/--db:"
                    + " the meters recover their segments and the run continues after the last reading the central"
                    + " system holds.")
    boolean resume;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "H",
            description = "With --join: the address the other nodes reach this one at (default: ${DEFAULT-VALUE}).")
    String host;

    /** What a simulation's report directory holds: written again by the next run without --force. */
    private static final java.util.Set<String> REPORT_FILES = java.util.Set.of(ReportWriter.HTML, ReportWriter.JSON,
            ReportWriter.CSV);

    /** A child node that never comes up is given up on after this long. */
    private static final Duration NODE_STARTUP = Duration.ofSeconds(120);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        FlowPolicy p = policy.load();
        requireStaticRules(p);
        Scenario sc = scenario();
        SimulationSettings settings;
        try {
            settings = sc.toSettings(1); // one interval at a time, settled: reproducible logs (Neighbourhood.reproducible)
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        checkOptions();
        boolean acrossNodes = processes == 3 || join != null;
        JournalStore store = openStore(out);
        out.printf(Locale.ROOT, "scenario %s: %,d households for %d day(s), seed %d, logs in %s%n", sc.name(),
                settings.meters(), settings.days(), settings.seed(), store.describe());
        out.flush();
        Neighbourhood.Result result;
        List<LocalNode> children = processes == 3 ? startNodes(out, sc) : List.of();
        ActorSystem<Void> system;
        try {
            system = acrossNodes ? joinAsMeters(out, store, join != null ? join : children.get(0).hostPort())
                    : ActorSystem.create(Behaviors.empty(), "hasm", store.applyTo(Neighbourhood.actorSystemConfig(ConfigFactory.load())));
        } catch (RuntimeException e) {
            children.forEach(LocalNode::close);
            throw e;
        }
        java.util.concurrent.atomic.AtomicInteger intervalsDone = new java.util.concurrent.atomic.AtomicInteger();
        SignalStop.watch(system, spec.commandLine().getErr(), () -> String.format(Locale.ROOT,
                "the run ended after %d of %d intervals; everything acknowledged until then is in %s"
                        + " ('hasm replay verify' checks it)", intervalsDone.get(), settings.intervals(), store.describe()));
        try {
            Neighbourhood neighbourhood = resume ? Neighbourhood.resumedAcrossNodes(system, sc, p)
                    : acrossNodes ? Neighbourhood.acrossNodes(system, sc, p)
                    : new Neighbourhood(system, sc, settings.intervalsInFlight(), p);
            java.util.concurrent.CompletionStage<?> closed = closeOnShutdown(system, neighbourhood);
            children.forEach(c -> c.holdUntil(closed));
            assemble(neighbourhood, settings);
            writeKeyRegister(out, neighbourhood.logKeyRegister());
            try {
                result = run(neighbourhood, settings, intervalsDone);
            } catch (Neighbourhood.Stopped e) {
                throw new SignalStop.Stopped(); // the meters anchored their logs, the user has been told
            }
            summary(out, sc, result, store);
            out.printf(Locale.ROOT, "%-34s %,14d%n", "frames refused by the concentrator", neighbourhood.framesRefusedByConcentrator());
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get();
            children.forEach(LocalNode::close);
        }
        ChainHeads heads = fingerprint(out, store);
        boolean reported = report(out, sc, settings, result, heads, store);
        compact(out, store);
        return reported ? 0 : HasmCommand.CHECK_FAILED;
    }

    /**
     * Ctrl-C, SIGTERM or the node leaving: before the actor system stops anything, the driver ends the interval
     * under way and the meters anchor what they had not anchored, recorded by the central system (the
     * phase's timeout, reference.conf, bounds the wait). Returns what completes once they have: the child
     * nodes of {@code --processes 3} are stopped only then.
     */
    private static java.util.concurrent.CompletionStage<?> closeOnShutdown(ActorSystem<Void> system, Neighbourhood neighbourhood) {
        java.util.concurrent.CompletableFuture<org.apache.pekko.Done> closed = new java.util.concurrent.CompletableFuture<>();
        org.apache.pekko.actor.CoordinatedShutdown.get(system).addTask(
                org.apache.pekko.actor.CoordinatedShutdown.PhaseBeforeServiceUnbind(), "hasm-close-meters",
                () -> neighbourhood.stop().handle((done, failed) -> {
                    closed.complete(org.apache.pekko.Done.getInstance());
                    return org.apache.pekko.Done.getInstance();
                }));
        return closed;
    }

    /**
     * A policy that breaks a static rule would make the run's meters say nothing about the paper's architecture;
     * one that lacks a flow a part or a use case needs would stop the run half-way, so it is refused before it starts.
     */
    private void requireStaticRules(FlowPolicy p) {
        try {
            Needs.requireAllowedBy(p);
        } catch (Needs.IncompletePolicyException e) {
            throw new UserError(e.getMessage());
        }
        PolicyVerifier verifier = new PolicyVerifier(p);
        long failing = verifier.verifyAll().stream().filter(v -> !v.holds()).count();
        String see = "; see 'hasm policy verify" + (policy.file == null ? "" : " --policy " + policy.file) + "'";
        if (failing > 0) {
            throw new UserError("the policy breaks " + failing + " of the static rules" + see);
        }
        verifier.verifyUseCases().stream().filter(v -> !v.holds()).findFirst().ifPresent(v -> {
            throw new UserError("the policy lacks " + v.missing().get(0) + ", which use case " + v.useCase() + " ("
                    + v.useCase().title() + ") needs" + see);
        });
    }

    private Scenario scenario() {
        InputFile.checkScenario(scenario);
        try {
            Scenario sc = Scenario.load(scenario);
            sc = meters == null ? sc : sc.withMeters(meters);
            sc = days == null ? sc : sc.withDays(days);
            sc = seed == null ? sc : sc.withSeed(seed);
            if (sc.meters() < 2 && sc.aggregation() == Scenario.Aggregation.ZERO_SUM) {
                throw new UserError("--meters " + sc.meters() + ": the zero-sum aggregation masks each reading with the"
                        + " other meters' shares, so a neighbourhood has at least 2 households");
            }
            return sc;
        } catch (ScenarioException | IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** Every option checked before anything is written. */
    private void checkOptions() {
        if (join == null && spec.commandLine().getParseResult().hasMatchedOption("--host")) {
            throw new UserError("--host is the address of this node in a cluster: it goes with --join HOST:PORT");
        }
        OutputTarget.reportDir("--report", reportDir, force.force, REPORT_FILES, storage.readHere(null));
        if (processes != 1 && processes != 3) {
            throw new UserError("--processes " + processes + ": 1 (all in this process) or 3 (central, concentrator, meters)");
        }
        if (processes == 3 && join != null) {
            throw new UserError("--processes 3 starts its own cluster; --join joins one already running: give one of them");
        }
        if (join != null) {
            try {
                ClusterSettings.seedAddress(join);
            } catch (IllegalArgumentException e) {
                throw new UserError("--join: " + e.getMessage());
            }
        }
        if (resume && join == null) {
            throw new UserError("--resume goes on with a run in a cluster that is still up: give --join HOST:PORT of its central node");
        }
    }

    /**
     * The meters' public log keys, written as they are provisioned: the trust root 'hasm replay verify' checks
     * the anchors' signatures with, kept beside the database (or in the report with --db), not in it.
     */
    private void writeKeyRegister(PrintWriter out, LogKeyRegister register) throws IOException {
        Path file = keyRegisterFile();
        java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
        register.write(file);
        out.println("the meters' public log keys in " + file + " ('hasm replay verify' checks the anchors with them)");
    }

    private Path keyRegisterFile() {
        return (storage.db == null ? storage.data : reportDir).resolve(LogKeyRegister.FILE_NAME);
    }

    /** A new run's store starts empty; a resumed run's must hold the logs of the run it goes on with. */
    private JournalStore openStore(PrintWriter out) {
        if (!resume) {
            // a central node of this run starts empty, and an earlier run's must not be taken for this run's by replay
            storage.forgetCentralNode();
        }
        JournalStore store = resume ? storage.forNode() : storage.forNewRun(out);
        try {
            SchemaCreator.create(store);
        } catch (StorageException e) {
            throw new UserError(e.getMessage());
        }
        if (resume && !StoreVerification.unknownMeters(store, java.util.Set.of(SeededFleet.meterId(0))).isEmpty()) {
            throw new UserError("nothing to resume in " + store.describe() + ": it holds no log of " + SeededFleet.meterId(0)
                    + " (give the --data or --db of the run whose meters node died)");
        }
        return store;
    }

    private static void assemble(Neighbourhood neighbourhood, SimulationSettings settings) throws Exception {
        try (ProgressBar bar = ProgressBars.bar("meters", settings.meters())) {
            neighbourhood.assemble(bar::stepTo);
        } catch (Neighbourhood.ClusterMismatch e) {
            throw new UserError(e.getMessage());
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof java.util.concurrent.TimeoutException t) {
                throw new UserError(t.getMessage()); // CentralLocator: what the cluster did not list
            }
            throw e;
        }
    }

    private static Neighbourhood.Result run(Neighbourhood neighbourhood, SimulationSettings settings,
                                            java.util.concurrent.atomic.AtomicInteger intervalsDone) throws Exception {
        long started = System.nanoTime();
        try (ProgressBar bar = ProgressBars.bar("intervals", settings.intervals())) {
            return neighbourhood.run((done, total, time, readings) -> {
                intervalsDone.set(done);
                bar.stepTo(done);
                double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
                bar.setExtraMessage(String.format(Locale.ROOT, "  %s  %,d meters  %,d readings (%,.0f/s)  %d alerts",
                        Instant.ofEpochMilli(time), settings.meters(), readings, readings / seconds,
                        neighbourhood.alertsSoFar()));
            });
        }
    }

    /**
     * The central node and the concentrator node of {@code --processes 3}, each in its own JVM with its log in
     * the data directory; the central node keeps its journals apart (an H2 file belongs to one process).
     */
    private List<LocalNode> startNodes(PrintWriter out, Scenario sc) throws IOException {
        Path logs = storage.data.toAbsolutePath();
        List<String> central = new ArrayList<>(List.of("--role", ClusterSettings.CENTRAL, "--port", "0", "--scenario", scenario,
                "--meters", String.valueOf(sc.meters()), "--seed-keys", String.valueOf(sc.seed())));
        if (storage.db != null) {
            central.addAll(List.of("--db", storage.db));
        } else {
            central.addAll(List.of("--data", storage.data.resolve(StorageOptions.CENTRAL_NODE).toString()));
        }
        out.println("starting a central node and a concentrator node (logs in " + logs + ")");
        out.flush();
        List<LocalNode> nodes = new ArrayList<>();
        try {
            nodes.add(LocalNode.start("central", logs.resolve("central-node.log"), central, NODE_STARTUP));
            nodes.add(LocalNode.start("concentrator", logs.resolve("concentrator-node.log"), List.of("--role",
                    ClusterSettings.CONCENTRATOR, "--port", "0", "--seed", nodes.get(0).hostPort()), NODE_STARTUP));
        } catch (IllegalStateException e) {
            nodes.forEach(LocalNode::close);
            throw new UserError(e.getMessage());
        }
        out.printf(Locale.ROOT, "central node at %s (pid %d), concentrator node (pid %d)%n", nodes.get(0).hostPort(),
                nodes.get(0).pid(), nodes.get(1).pid());
        return nodes;
    }

    /** This process as the meters node of the cluster at {@code seed}, once it is a member. */
    private ActorSystem<Void> joinAsMeters(PrintWriter out, JournalStore store, String seed) throws Exception {
        List<ch.qos.logback.classic.Logger> quiet = MemberUp.quietConnectionNoise(); // one line if nobody answers
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterSettings.SYSTEM_NAME, store.applyTo(
                ClusterSettings.node(host, 0, List.of(ClusterSettings.METERS), List.of(seed)).withFallback(ConfigFactory.load())));
        boolean up = MemberUp.of(system).get();
        quiet.forEach(l -> l.setLevel(null));
        if (!up) {
            throw new UserError("could not join the cluster at " + seed + ": nobody answered (is 'hasm node --role central'"
                    + " running there?)");
        }
        // however the run ends (Ctrl-C included), this node drops its connections as it leaves: Pekko warns of each
        org.apache.pekko.actor.CoordinatedShutdown.get(system).addTask(
                org.apache.pekko.actor.CoordinatedShutdown.PhaseBeforeServiceUnbind(), "quiet-connections", () -> {
                    MemberUp.quietConnectionNoise();
                    return java.util.concurrent.CompletableFuture.completedFuture(org.apache.pekko.Done.getInstance());
                });
        out.println("meters node joined the cluster at " + seed);
        out.flush();
        return system;
    }

    /**
     * The H2 file after a run is mostly dead chunks that H2 keeps for its 45 s retention; with no actor
     * system on it any more it can be compacted in full (docs/storage.md, Durability).
     */
    private static void compact(PrintWriter out, JournalStore store) {
        try {
            H2Housekeeping.compactFile(store).ifPresent(c -> out.printf(Locale.ROOT,
                    "compacted the H2 file: %.1f MB -> %.1f MB in %.1f s%n", c.bytesBefore() / 1e6, c.bytesAfter() / 1e6,
                    c.took().toMillis() / 1000.0));
        } catch (StorageException e) {
            out.println("could not compact the H2 file (it stays as it is): " + e.getMessage());
        }
    }

    /** Same seed, same scenario: same logs, so the same fingerprint over every chain head. */
    private static ChainHeads fingerprint(PrintWriter out, JournalStore store) {
        try {
            ChainHeads heads = ChainHeads.read(store);
            heads.entriesPerSegment().forEach((segment, n) ->
                    out.printf(Locale.ROOT, "%-34s %,14d%n", "log entries, " + segment, n));
            out.printf(Locale.ROOT, "%-34s %s%n", "fingerprint (chain heads)", heads.fingerprint());
            return heads;
        } catch (StorageException e) {
            out.println("could not read the chain heads for the fingerprint: " + e.getMessage());
            return null;
        }
    }

    /** Whether the report was written; when not, stderr says why (the run itself is kept in the store). */
    private boolean report(PrintWriter out, Scenario sc, SimulationSettings settings, Neighbourhood.Result r, ChainHeads heads,
                        JournalStore store) {
        long intervalMs = settings.interval().toMillis();
        Map<String, long[]> entries = Map.of();
        try {
            entries = EntryTimeline.cumulative(store, SimulationSettings.START, intervalMs, settings.intervals());
        } catch (StorageException e) {
            out.println("the report shows no log sizes: " + e.getMessage());
        }
        List<SimulationReport.Interval> intervals = new ArrayList<>();
        for (Neighbourhood.IntervalSample s : r.samples()) {
            Map<String, Long> entriesSoFar = new TreeMap<>();
            entries.forEach((segment, counts) -> entriesSoFar.put(segment, counts[s.index()]));
            intervals.add(new SimulationReport.Interval(s.index(), s.time() - intervalMs, s.aggregateWh(), s.feederWh(),
                    s.metersOn(), s.metersOff(), s.metersArmed(), s.prepaidCreditSum(), s.prepaidCreditMin(), s.drops(),
                    entriesSoFar));
        }
        Map<String, Long> drops = new TreeMap<>();
        r.drops().forEach((rule, n) -> drops.put(String.valueOf(rule), n));
        List<SimulationReport.Alert> alerts = r.alerts().stream()
                .map(a -> new SimulationReport.Alert(a.time(), a.kind(), a.detail())).toList();
        SimulationReport.Totals totals = new SimulationReport.Totals(r.readings(), r.bills(), r.switchOffs() + r.switchOns(),
                alerts.size(),
                drops, heads == null ? Map.of() : heads.entriesPerSegment(), r.readingsPerSecond(), r.elapsed().toMillis(),
                heads == null ? "" : heads.fingerprint());
        SimulationReport report = new SimulationReport(sc.name(), sc.description(), settings.seed(), settings.meters(),
                settings.days(), SimulationSettings.START, intervalMs, intervals, alerts, totals);
        try {
            ReportWriter.write(reportDir, report);
            out.println("report: " + reportDir.resolve("report.html").toAbsolutePath().normalize()
                    + " (with summary.json and readings.csv)");
            return true;
        } catch (IOException e) {
            out.flush();
            spec.commandLine().getErr().println("hasm: could not write the report to " + reportDir + ": "
                    + OutputTarget.reason(e) + " (the run's logs are in " + store.describe() + ")");
            return false;
        }
    }

    /** For each theft: how many intervals after it started the first fraud alert covering it came, if any. */
    private static void theftDetection(PrintWriter out, Scenario sc, Neighbourhood.Result r) {
        long intervalMs = sc.interval().toMillis();
        for (Scenario.TimelineEvent e : sc.timeline()) {
            if (e.action() instanceof Action.Theft t) {
                int start = e.at().intervalIndex(sc.interval());
                // an alert arrives at the end of the last interval it covers
                java.util.OptionalLong first = r.alerts().stream().filter(a -> a.kind().equals("fraud"))
                        .mapToLong(a -> (a.time() - SimulationSettings.START) / intervalMs - 1).filter(k -> k >= start).min();
                out.printf(Locale.ROOT, "%-34s %14s%n", "  theft at meter " + t.meter(), first.isPresent()
                        ? "alerted after " + (first.getAsLong() - start + 1) + " intervals" : "not alerted");
            }
        }
    }

    private static void summary(PrintWriter out, Scenario sc, Neighbourhood.Result r, JournalStore store) {
        out.println();
        out.printf(Locale.ROOT, "%-34s %,14d%n", "households (meters)", r.meters());
        out.printf(Locale.ROOT, "%-34s %,14d%n", "intervals of " + sc.interval().toMinutes() + " min", r.intervals());
        out.printf(Locale.ROOT, "%-34s %,14d%n", "readings in the aggregates", r.readings());
        out.printf(Locale.ROOT, "%-34s %,14d%n", "frames kept by the central system", r.framesToCentralSystem());
        out.printf(Locale.ROOT, "%-34s %,14d%n", "log anchors at the central system", r.anchors());
        out.printf(Locale.ROOT, "%-34s %,14d%n", "daily bills", r.bills());
        out.printf(Locale.ROOT, "%-34s %14s%n", "frames refused by the central system",
                r.refusals().isEmpty() ? "none" : r.refusals().toString());
        out.printf(Locale.ROOT, "%-34s %,14d%n", "fraud alerts", r.fraudAlerts());
        theftDetection(out, sc, r);
        out.printf(Locale.ROOT, "%-34s %,14d%n", "switch-offs", r.switchOffs());
        out.printf(Locale.ROOT, "%-34s %,14d%n", "  switch-ons", r.switchOns());
        out.printf(Locale.ROOT, "%-34s %,14d%n", "top-ups", r.topUps());
        out.printf(Locale.ROOT, "%-34s %,14d%n", "pushed to the homes (HAN)", r.pushedToHomes());
        out.printf(Locale.ROOT, "%-34s %14s%n", "policy drops per rule", r.drops().isEmpty() ? "none" : r.drops().toString());
        Neighbourhood.Timeline t = r.timeline();
        if (!t.bulkAttempts().isEmpty()) {
            Map<String, Long> outcomes = new TreeMap<>();
            t.bulkAttempts().forEach(a -> outcomes.merge(a.outcome(), 1L, Long::sum));
            out.printf(Locale.ROOT, "%-34s %14s%n", "bulk switch attempts (P16)", t.bulkAttempts().size() + " " + outcomes);
            out.printf(Locale.ROOT, "%-34s %,14d%n", "  switch commands released", t.switchesReleased());
            out.printf(Locale.ROOT, "%-34s %,14d%n", "  accepted by the meters", t.remoteSwitchesAccepted());
        }
        if (t.tariffChanges() > 0) {
            out.printf(Locale.ROOT, "%-34s %,14d%n", "tariff commands", t.tariffChanges());
        }
        if (t.floodCommands() > 0) {
            out.printf(Locale.ROOT, "%-34s %,14d%n", "forged commands (log flood)", t.floodCommands());
        }
        if (t.compromisedSends() > 0) {
            out.printf(Locale.ROOT, "%-34s %,14d%n", "compromised modules' sends", t.compromisedSends());
            out.printf(Locale.ROOT, "%-34s %,14d%n", "  unauthorised switch-offs", t.unauthorisedSwitchOffs());
        }
        if (r.tamperedFramesDetected() > 0) {
            out.printf(Locale.ROOT, "%-34s %,14d%n", "tampered frames detected", r.tamperedFramesDetected());
        }
        out.printf(Locale.ROOT, "%-34s %,14d%n", "readings lost", r.readingsLost());
        t.notes().forEach(n -> out.println("note: " + n));
        out.printf(Locale.ROOT, "%-34s %,14.0f%n", "readings per second", r.readingsPerSecond());
        out.printf(Locale.ROOT, "%-34s %14s%n", "wall time", String.format(Locale.ROOT, "%.1f s", r.elapsed().toMillis() / 1000.0));
        out.println("logs: " + store.describe());
    }
}
