package org.hasm.actors.cli;

import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.sim.Neighbourhood;
import org.hasm.actors.sim.SimulationSettings;
import org.hasm.persistence.jdbc.ChainHeads;
import org.hasm.persistence.jdbc.H2Housekeeping;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.SchemaCreator;
import org.hasm.persistence.jdbc.StorageException;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.verify.PolicyVerifier;
import org.hasm.policy.verify.RuleVerdict;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs a neighbourhood: households with real meters (16 guarded parts each, real keys), their
 * segments on the embedded H2 database or PostgreSQL, driven through virtual time.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Run a neighbourhood simulation: households with real meters, their logs in the database.",
                "Not built yet: the concentrator's aggregation and fraud detection, the central system, scenarios and"
                        + " the HTML report (issue 6)."})
final class SimulateCommand implements Callable<Integer> {
    @Mixin
    PolicyOption policy;

    @Mixin
    StorageOptions storage;

    @Option(names = "--meters", defaultValue = "1000", paramLabel = "N", description = "Households (default: ${DEFAULT-VALUE}).")
    int meters;

    @Option(names = "--days", defaultValue = "1", paramLabel = "D", description = "Simulated days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Seed for households and keys (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--prepaid-share", defaultValue = "0.2", paramLabel = "X",
            description = "Share of prepaid households, 0 to 1 (default: ${DEFAULT-VALUE}).")
    double prepaidShare;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        FlowPolicy p = policy.load();
        long failing = new PolicyVerifier(p).verifyAll().stream().filter(v -> !v.holds()).count();
        if (failing > 0) {
            throw new UserError("the policy breaks " + failing + " of the static rules; see 'hasm policy verify"
                    + (policy.file == null ? "" : " --policy " + policy.file) + "'");
        }
        SimulationSettings settings;
        try {
            settings = new SimulationSettings(meters, days, seed, prepaidShare, 4, Duration.ofMinutes(15));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        JournalStore store = storage.forNewRun(out);
        try {
            SchemaCreator.create(store);
        } catch (StorageException e) {
            throw new UserError(e.getMessage());
        }
        out.printf(Locale.ROOT, "simulating %,d households for %d day(s), seed %d, logs in %s%n", meters, days, seed, store.describe());
        out.flush();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "hasm", store.applyTo(ConfigFactory.load()));
        try {
            Neighbourhood neighbourhood = new Neighbourhood(system, settings, p);
            try (ProgressBar bar = bar("meters", meters)) {
                neighbourhood.assemble(bar::stepTo);
            }
            Neighbourhood.Result result;
            try (ProgressBar bar = bar("intervals", settings.intervals())) {
                result = neighbourhood.run((done, total, time, readings) -> {
                    bar.stepTo(done);
                    bar.setExtraMessage(Instant.ofEpochMilli(time) + "  " + readings + " readings");
                });
            }
            summary(out, result, store);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get();
        }
        fingerprint(out, store);
        compact(out, store);
        return 0;
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
    private static void fingerprint(PrintWriter out, JournalStore store) {
        try {
            ChainHeads heads = ChainHeads.read(store);
            out.printf(Locale.ROOT, "%-34s %,14d%n", "log entries (all segments)", heads.entries());
            out.printf(Locale.ROOT, "%-34s %s%n", "fingerprint (chain heads)", heads.fingerprint());
        } catch (StorageException e) {
            out.println("could not read the chain heads for the fingerprint: " + e.getMessage());
        }
    }

    /** A live bar on a terminal; on a pipe or a CI log, plain lines now and then. */
    private ProgressBar bar(String task, long total) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUpdateIntervalMillis(500)
                .setStyle(ProgressBarStyle.ASCII).showSpeed();
        if (System.console() == null) {
            b.setConsumer(new DelegatingProgressBarConsumer(line -> System.err.println(line.strip()), 100))
                    .setUpdateIntervalMillis(5_000);
        } else {
            b.setConsumer(new ConsoleProgressBarConsumer(System.err));
        }
        return b.build();
    }

    private static void summary(PrintWriter out, Neighbourhood.Result r, JournalStore store) {
        out.println();
        out.printf(Locale.ROOT, "%-34s %,14d%n", "households (meters)", r.meters());
        out.printf(Locale.ROOT, "%-34s %,14d%n", "intervals of 15 min", r.intervals());
        out.printf(Locale.ROOT, "%-34s %,14d%n", "readings at the concentrator", r.readings());
        out.printf(Locale.ROOT, "%-34s %,14d%n", "frames for the central system", r.framesToCentralSystem());
        out.printf(Locale.ROOT, "%-34s %,14d%n", "log anchors at the central system", r.anchors());
        out.printf(Locale.ROOT, "%-34s %,14d%n", "switch-offs", r.switchOffs());
        out.printf(Locale.ROOT, "%-34s %,14d%n", "  switch-ons", r.switchOns());
        out.printf(Locale.ROOT, "%-34s %,14d%n", "top-ups", r.topUps());
        out.printf(Locale.ROOT, "%-34s %14s%n", "policy drops per rule", r.drops().isEmpty() ? "none" : r.drops().toString());
        out.printf(Locale.ROOT, "%-34s %,14.0f%n", "readings per second", r.readingsPerSecond());
        out.printf(Locale.ROOT, "%-34s %14s%n", "wall time", String.format(Locale.ROOT, "%.1f s", r.elapsed().toMillis() / 1000.0));
        out.println("logs: " + store.describe());
    }
}
