package org.hasm.actors.sim;

import com.typesafe.config.Config;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.central.OperatorGateway;
import org.hasm.actors.concentrator.DataConcentrator;
import org.hasm.actors.concentrator.FeederMeter;
import org.hasm.actors.fleet.NeighbourhoodPlan;
import org.hasm.actors.central.LogKeyRegister;
import org.hasm.actors.fleet.SeededFleet;
import org.hasm.actors.link.ClusterSettings;
import org.hasm.actors.sim.scenario.Scenario;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.kernel.Activity;
import org.hasm.policy.kernel.DropCounter;
import org.hasm.actors.sim.scenario.SimulationSettings;

/**
 * A neighbourhood of households with their meters, its data concentrator with the feeder meter, and the
 * central system, driven through virtual time from one thread (not an actor thread): each interval every
 * household's energy flows, the feeder measures the total and every meter's clock ticks. At most
 * {@code intervalsInFlight} intervals are under way: the driver waits until the concentrator has published
 * (or withheld) every group's aggregate of an older interval, and while it has paused its intake.
 *
 * <p>The meters' frames for the central system go through the {@link DataConcentrator} (store and forward,
 * opaque to it) to each meter's {@link MeterAccount} (sharded, its own journal), which bills the readings,
 * keeps the log anchors and acknowledges readings back through the concentrator. Prepaid households top up
 * with tokens their account issues and confirm reconnection on their Display.
 *
 * <p>This class is the driver loop and the run's public face; the {@link Topology} ({@link InOneProcess} or
 * {@link AcrossNodes}) runs the concentrator and the central system, {@link DriverInbox} hears what the
 * concentrator reports, {@link Households} run the meters (their {@link Homes} at the far end of the HAN, the
 * maintenance port and the keypads), {@link TimelinePlayer} plays the scenario and
 * {@link RunTally} adds up the {@link Result}.
 */
public final class Neighbourhood {
    /** Told after each interval whose aggregates are all in. */
    @FunctionalInterface
    public interface Progress {
        void intervalDone(int done, int total, long simulatedTime, long readings);
    }

    /**
     * What the neighbourhood looked like when interval {@code index} was complete.
     *
     * @param feederWh    what the feeder meter measured (households plus technical losses)
     * @param aggregateWh the concentrator's aggregate of the meters' readings (P14: sums over groups only)
     * @param drops       policy drops per rule during the interval
     */
    public record IntervalSample(int index, long time, long feederWh, long aggregateWh, int metersOn, int metersOff,
                                 int metersArmed, long prepaidCreditSum, long prepaidCreditMin, Map<String, Long> drops) {
    }

    /**
     * An alert the central system received, with the simulated time it arrived: {@code fraud} from the
     * concentrator's feeder comparison, {@code operator gateway} for a bulk command held or refused (P16).
     */
    public record Alert(long time, String kind, String detail) {
    }

    /**
     * One attempt at the operator command gateway (P16), as its journal has it.
     *
     * @param action  "request" or "approval"
     * @param outcome an {@link OperatorGateway.Outcome} name
     */
    public record BulkAttempt(long time, String requestId, String operator, String action, String outcome, int meters,
                              String reason) {
    }

    /**
     * What the scenario's timeline did and how the neighbourhood answered.
     *
     * @param bulkAttempts            every attempt in the operator gateway's journal
     * @param switchesReleased        meters the gateway released switch commands for (after rate limit and quorum)
     * @param remoteSwitchCommands    signed switch commands the accounts issued
     * @param remoteSwitchesAccepted  of those, acknowledged as ACCEPTED by the meters' OffSwitchSecurity
     * @param tariffChanges           SET_TARIFF commands the accounts issued
     * @param floodCommands           forged commands sent at meters' Communications
     * @param compromisedSends        off-policy messages compromised modules sent (each must be a policy drop)
     * @param unauthorisedSwitchOffs  breaker openings of compromised meters after their compromise, less the
     *                                switch-offs the central system commanded (a zero-credit cut-off of a
     *                                compromised prepaid meter would count too: none of the shipped ones is cut off)
     * @param billsPerMeter           daily bills per meter id
     * @param notes                   what of the scenario this run could not do, one line each
     */
    public record Timeline(List<BulkAttempt> bulkAttempts, long switchesReleased, long remoteSwitchCommands,
                           long remoteSwitchesAccepted, long tariffChanges, long floodCommands, long compromisedSends,
                           long unauthorisedSwitchOffs, Map<String, Integer> billsPerMeter, List<String> notes) {
    }

    /**
     * @param bills       daily bills the accounts issued
     * @param anchors     log anchors the accounts hold
     * @param refusals    frames the accounts refused, per cause
     * @param pushedToHomes what the meters pushed to the homes over the HAN (consumption, tariff, credit,
     *                      appliance switching), as the HAN gateway handed it on
     */
    public record Result(int meters, int intervals, long readings, long framesToCentralSystem, long switchReports,
                         long switchOffs, long switchOns, long topUps, long pushedToHomes, long anchors, long bills, Map<String, Long> refusals,
                         Map<Object, Long> drops, List<Alert> alerts, Duration elapsed, List<IntervalSample> samples,
                         Timeline timeline) {
        public double readingsPerSecond() {
            return readings / Math.max(1e-9, elapsed.toNanos() / 1e9);
        }

        /** The concentrator's fraud alerts, without the gateway's. */
        public long fraudAlerts() {
            return alerts.stream().filter(a -> a.kind().equals("fraud")).count();
        }

        /** Readings no aggregate counted: one per meter and interval was due. */
        public long readingsLost() {
            return (long) meters * intervals - readings;
        }

        /** Frames the central system refused as altered (BAD_TAG) or replayed: what a tampering concentrator did. */
        public long tamperedFramesDetected() {
            return refusals.getOrDefault(org.hasm.actors.crypto.Opened.Reason.BAD_TAG.name(), 0L)
                    + refusals.getOrDefault(org.hasm.actors.crypto.Opened.Reason.REPLAYED.name(), 0L);
        }

        /** Policy drops, all rules together. */
        public long policyDrops() {
            return drops.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Thrown by {@link #run} when {@link #stop} ended it early: the meters anchored their logs' heads and the
     * central system recorded them, after {@code intervals} intervals.
     */
    public static final class Stopped extends RuntimeException {
        public Stopped(int intervals) {
            super("the run was stopped after " + intervals + " intervals", null, false, false);
        }
    }

    /** Where the driver is: a {@link #stop} before or after the run has nothing to close. */
    private enum Stage { ASSEMBLING, RUNNING, STOPPING, DONE }

    /** The nodes this meters node joined were not started for its scenario. */
    public static final class ClusterMismatch extends IllegalStateException {
        public ClusterMismatch(String message) {
            super(message);
        }
    }

    private final ActorSystem<Void> system;
    private final SimulationSettings settings;
    private final FlowPolicy policy;
    private final List<Scenario.TimelineEvent> timeline;
    /** The operators the timeline names, beside the utility's own. */
    private final Set<String> operatorsNamed;
    /** The scenario chose Paillier: meters encrypt their shares, the central system's key reads the group sums. */
    private final boolean paillier;
    /** The concentrator and the central system run on other nodes (hasm simulate --processes 3). */
    private final boolean acrossNodes;
    /** A run that goes on after its meters node died ({@link #resumedAcrossNodes}). */
    private final boolean resume;
    /** At a speed factor, the least wall time an interval takes; zero as fast as possible. */
    private final Duration wallTimePerInterval;
    private final List<String> notes = new ArrayList<>();
    private final DropCounter drops = new DropCounter();
    /** Work under way inside the meters: the driver of a reproducible run waits for it to end between steps. */
    private final Activity activity = Activity.counting();
    private final Compromise compromise;
    private final long[] feederWh;
    private DriverInbox inbox;
    private Topology topology;
    private Accounts accounts;
    private Households households;
    private TimelinePlayer player;
    private RunTally tally;
    private final AtomicReference<Stage> stage = new AtomicReference<>(Stage.ASSEMBLING);
    /** Completed once the run has closed the meters and the accounts hold their last anchors. */
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Where the meters' clocks are: the time their last anchors are made at. */
    private long clocksAt = SimulationSettings.START;

    /** A neighbourhood without a timeline: households, concentrator and central system on an ordinary day. */
    public Neighbourhood(ActorSystem<Void> system, SimulationSettings settings, FlowPolicy policy) {
        this(system, settings, null, policy, false, false);
    }

    /**
     * A neighbourhood that plays {@code scenario}'s timeline: each event runs from the driver thread at the
     * start of the interval that contains its time.
     *
     * @param intervalsInFlight see {@link SimulationSettings}
     */
    public Neighbourhood(ActorSystem<Void> system, Scenario scenario, int intervalsInFlight, FlowPolicy policy) {
        this(system, scenario.toSettings(intervalsInFlight), scenario, policy, false, false);
    }

    /**
     * The meters' side of a neighbourhood split over nodes: this node (role meters) runs the meters and the
     * driver; the central system and the concentrator run on nodes of their roles in the same cluster, which
     * derive keys and groups from the same seed ({@link NeighbourhoodPlan}). The central node must have been
     * started for this scenario ({@code hasm node --role central --scenario ... --meters ... --seed-keys ...}).
     */
    public static Neighbourhood acrossNodes(ActorSystem<Void> system, Scenario scenario, FlowPolicy policy) {
        return new Neighbourhood(system, scenario.toSettings(1), scenario, policy, true, false);
    }

    /**
     * {@link #acrossNodes} again after the meters node died, on the meters' journals it left: each meter
     * recovers its segments, the concentrator node hands over the running concentrator, and the run goes on
     * from the interval after the latest reading the central system holds (the timeline's earlier events and
     * the prepaid set-up are not played again).
     */
    public static Neighbourhood resumedAcrossNodes(ActorSystem<Void> system, Scenario scenario, FlowPolicy policy) {
        return new Neighbourhood(system, scenario.toSettings(1), scenario, policy, true, true);
    }

    private Neighbourhood(ActorSystem<Void> system, SimulationSettings settings, Scenario scenario, FlowPolicy policy,
                          boolean acrossNodes, boolean resume) {
        this.system = system;
        this.settings = settings;
        this.policy = policy;
        this.acrossNodes = acrossNodes;
        this.resume = resume;
        this.wallTimePerInterval = scenario == null ? Duration.ZERO : scenario.speed().wallTimePer(settings.interval());
        this.timeline = scenario == null ? List.of() : scenario.timeline();
        this.operatorsNamed = scenario == null ? Set.of() : scenario.operators();
        this.paillier = scenario != null && scenario.aggregation() == Scenario.Aggregation.PAILLIER;
        this.compromise = new Compromise(system, policy, timeline, notes);
        this.feederWh = new long[settings.intervals()];
    }

    /** The configuration a neighbourhood's actor system needs over {@code base}: the central system is sharded. */
    public static Config actorSystemConfig(Config base) {
        return ClusterSettings.oneNode().withFallback(base);
    }

    /** Provisions and assembles every meter, the concentrator and the central system; {@code assembled} is told after each meter. */
    public void assemble(IntConsumer assembled) throws Exception {
        NeighbourhoodPlan.Aggregation aggregation = NeighbourhoodPlan.aggregation(settings.seed(), settings.meters(), paillier);
        inbox = new DriverInbox(system, settings, aggregation.sizes().size(), aggregation.reader(),
                NeighbourhoodPlan.concentratorAlertKey(settings.seed()));
        topology = acrossNodes ? AcrossNodes.join(system, settings, paillier, inbox, activity)
                : InOneProcess.start(system, settings, operatorsNamed, aggregation.groups(),
                NeighbourhoodPlan.concentratorAlertKey(settings.seed()), inbox, activity);
        accounts = new Accounts(system, topology.central, SeededFleet::meterId);
        households = new Households(settings, accounts);
        households.assemble(system, new Households.Kernel(policy, drops, activity), aggregation, topology, compromise,
                assembled);
        player = new TimelinePlayer(settings, timeline, households, accounts, topology, compromise,
                NeighbourhoodPlan.operatorKeys(settings.seed(), operatorsNamed), notes);
        tally = new RunTally(drops, inbox);
    }

    /** Frames the concentrator refused because its queue was full (each also logged by it). */
    public long framesRefusedByConcentrator() {
        return inbox.framesRefused();
    }

    /** Alerts the central system has received so far (fraud, operator gateway). */
    public int alertsSoFar() {
        return inbox.alerts().size();
    }

    /** What of the scenario this run cannot do, one line each, known before it starts. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** Once assembled: the public log keys of the meters, the key register 'hasm replay verify' trusts. */
    public LogKeyRegister logKeyRegister() {
        return households.logKeyRegister();
    }

    /**
     * Runs the day(s) and closes the meters (each anchors its logs' heads one last time, and the accounts have
     * recorded them before this returns).
     *
     * @throws Stopped if {@link #stop} ended the run early, once the meters are closed all the same
     */
    public Result run(Progress progress) throws Exception {
        if (!stage.compareAndSet(Stage.ASSEMBLING, Stage.RUNNING)) {
            throw new Stopped(0);
        }
        try {
            Result result = runIntervals(progress);
            closed.complete(null);
            return result;
        } catch (Stopped s) {
            closed.complete(null);
            throw s;
        } catch (Throwable t) {
            closed.completeExceptionally(t);
            throw t;
        } finally {
            stage.set(Stage.DONE);
        }
    }

    private Result runIntervals(Progress progress) throws Exception {
        long start = System.nanoTime();
        int first = begin();
        int total = settings.intervals();
        int waitedFor = first;
        for (int k = first; k < total; k++) {
            if (stage.get() == Stage.STOPPING) {
                close();
                throw new Stopped(k - first);
            }
            interval(k);
            clocksAt = SimulationSettings.START + (k + 1) * settings.interval().toMillis();
            pace(start, k);
            while (waitedFor <= k - settings.intervalsInFlight()) {
                completed(waitedFor++, progress);
            }
        }
        while (waitedFor < total) {
            completed(waitedFor++, progress);
        }
        close(); // the meters' last anchors are with the accounts before they are read
        households.awaitHomesShown();
        topology.awaitAlertsKept();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return tally.result(total - first, elapsed, households, accounts, compromise, player, notes);
    }

    /**
     * Stops the run cleanly, from another thread (Ctrl-C, SIGTERM, the node leaving): the driver ends the
     * interval under way and closes the meters. Completes once the central system has recorded their last
     * anchors; at once if the run has not started or is over.
     */
    public CompletionStage<Void> stop() {
        if (stage.compareAndSet(Stage.ASSEMBLING, Stage.DONE)) {
            return CompletableFuture.completedFuture(null);
        }
        stage.compareAndSet(Stage.RUNNING, Stage.STOPPING);
        // DONE without a close: stopped before it started (a second stop), so nothing will complete {@code closed}
        return stage.get() == Stage.DONE && !closed.isDone() ? CompletableFuture.completedFuture(null) : closed;
    }

    /**
     * The clean end of a run: once nothing is on its way to a meter any more (a late acknowledgement would be a
     * new entry), every meter anchors each segment with entries after its last anchor, and the run waits by
     * messages until the accounts have recorded those anchors (the concentrator holds nothing unconfirmed).
     */
    private void close() throws Exception {
        awaitQuiet();
        households.close(clocksAt);
        awaitQuiet();
    }

    /**
     * Sets the meters' clocks to where the run starts and, in a fresh run, puts the prepaid households in
     * prepaid mode; returns the first interval to run.
     */
    private int begin() throws Exception {
        long t0 = SimulationSettings.START;
        long intervalMs = settings.interval().toMillis();
        int first = resume ? resumeInterval() : 0;
        if (resume) {
            notes.add("resumed at interval " + first + " (" + Instant.ofEpochMilli(t0 + first * intervalMs)
                    + "), after the last reading the central system holds; the summary counts from there");
        }
        clocksAt = t0 + first * intervalMs;
        households.setClocks(clocksAt);
        player.skipBefore(first);
        if (!resume) {
            households.enterPrepaidMode(t0, topology);
        }
        return first;
    }

    /**
     * Interval {@code k}: the timeline's events of it, every household's energy and clock, the feeder's
     * measure, the gateway's minutes; in a reproducible run each step settles before the next.
     */
    private void interval(int k) throws Exception {
        long intervalMs = settings.interval().toMillis();
        long from = SimulationSettings.START + k * intervalMs;
        long end = from + intervalMs;
        long round = from / intervalMs;
        inbox.awaitIntake();
        if (player.playUpTo(k, from) && reproducible()) {
            awaitQuiet(); // what the operators did reaches the meters before their clocks move on
        }
        List<Households.Purchase> wanted = new ArrayList<>();
        feederWh[k] += households.flow(k, from, i -> player.stolenFraction(i, k), reproducible() ? null : wanted);
        households.topUps(wanted, end);
        topology.feeder.tell(new FeederMeter.EnergyFlow(round, feederWh[k]));
        topology.feeder.tell(new FeederMeter.EndOfInterval(round));
        // P16's rate limit counts simulated minutes: the gateway releases what is due minute by minute
        for (long minute = from + 60_000; minute <= end; minute += 60_000) {
            topology.central.gateway().tell(new OperatorGateway.Tick(minute));
        }
        player.awaitSwitchesSettled();
        if (reproducible()) {
            // Every meter's interval settles before the households act on what they see, and that
            // settles before the next interval: each meter gets the same inputs in the same order.
            awaitQuiet();
            households.topUps(households.act(k), end);
            awaitQuiet();
        }
        tally.shown(k, households.screensNow());
    }

    /** At a speed factor, holds the driver until interval {@code k} is due in wall time (a pace, not a wait for anything). */
    private void pace(long startNanos, int k) throws InterruptedException {
        long due = startNanos + (k + 1) * wallTimePerInterval.toNanos();
        long ahead = due - System.nanoTime();
        if (ahead > 0) {
            TimeUnit.NANOSECONDS.sleep(ahead);
        }
    }

    /** Once interval {@code k}'s aggregates are all in: its sample, and the caller's progress. */
    private void completed(int k, Progress progress) throws InterruptedException {
        inbox.awaitInterval(k, topology.concentrator);
        long end = SimulationSettings.START + (k + 1) * settings.interval().toMillis();
        tally.sample(k, end, feederWh[k]);
        progress.intervalDone(k + 1, settings.intervals(), end, inbox.readings());
    }

    /** One interval at a time, each settled before the next: the same seed and scenario write the same logs. */
    private boolean reproducible() {
        return settings.intervalsInFlight() == 1;
    }

    /** Until nothing is under way anywhere the meters could hear from ({@link Topology#awaitQuiet}). */
    private void awaitQuiet() throws Exception {
        topology.awaitQuiet();
    }

    /**
     * Where a resumed run starts: the interval after the latest reading any account holds. A meter whose later
     * readings were still on their way when its node died has them in its MetrologyLog, unacknowledged.
     */
    private int resumeInterval() throws Exception {
        // what the dead node's meters sent is delivered first, or a reading still queued would be measured again
        topology.awaitConcentratorDrained();
        long latest = SimulationSettings.START;
        for (int i = 0; i < households.size(); i++) {
            latest = Math.max(latest, accounts.view(i).lastReadingEnd());
        }
        return (int) Math.min(settings.intervals(), (latest - SimulationSettings.START) / settings.interval().toMillis());
    }
}
