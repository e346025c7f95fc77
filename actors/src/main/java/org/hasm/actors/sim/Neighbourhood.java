package org.hasm.actors.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.hasm.actors.central.CentralSystem;
import org.hasm.actors.central.FraudAlertLedger;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.link.ClusterSettings;
import org.hasm.actors.central.OperatorGateway;
import org.hasm.actors.central.CentralLocator;
import org.hasm.actors.cluster.ConcentratorHost;
import org.hasm.actors.cluster.DownlinkRouter;
import org.hasm.actors.concentrator.AggregationGroup;
import org.hasm.actors.concentrator.CentralLine;
import org.hasm.actors.concentrator.MeterBridge;
import org.hasm.actors.link.CentralSystemLink;
import org.hasm.actors.concentrator.DataConcentrator;
import org.hasm.actors.concentrator.FeederMeter;
import org.hasm.actors.crypto.SignedFraudAlert;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.fleet.SeededFleet;
import org.hasm.actors.crypto.AggregationScheme;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.crypto.SimulationRandomness;
import org.hasm.actors.crypto.Share;
import org.hasm.actors.meter.Display;
import org.hasm.actors.meter.Meter;
import org.hasm.actors.meter.MeterConfig;
import org.hasm.actors.meter.MeterSignals.ButtonPress;
import org.hasm.actors.meter.MeterSignals.EnergySample;
import org.hasm.actors.meter.MeterSignals.FrameFromCentralSystem;
import org.hasm.actors.meter.MeterSignals.TimeSignal;
import org.hasm.actors.meter.MeterSignals.TopUpTokenFrame;
import org.hasm.actors.meter.StandardMeterParts;
import org.hasm.actors.meter.Supply;
import org.hasm.actors.meter.Tariff;
import org.hasm.actors.meter.MeterParts;
import org.hasm.actors.meter.MeterSignals.Actuate;
import org.hasm.actors.meter.MeterSignals.PrepaidModeChange;
import org.hasm.actors.meter.MeterSignals.TariffUpdate;
import org.hasm.actors.meter.MeterSignals.TopUp;
import org.hasm.actors.meter.MeterSignals.ZeroCredit;
import org.hasm.actors.meter.Wiring;
import org.hasm.actors.crypto.OperatorSigning;
import org.hasm.actors.fleet.CentralSystemFactory;
import org.hasm.actors.fleet.NeighbourhoodPlan;
import org.hasm.actors.sim.scenario.Action;
import org.hasm.actors.sim.scenario.Scenario;
import org.hasm.persistence.SegmentQuota;
import org.hasm.policy.kernel.PolicyMessage;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Activity;
import org.hasm.policy.kernel.DropCounter;
import org.hasm.policy.kernel.Envelope;
import org.hasm.policy.verify.RuleAttribution;

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
     */
    public record Result(int meters, int intervals, long readings, long framesToCentralSystem, long switchReports,
                         long switchOffs, long switchOns, long topUps, long anchors, long bills, Map<String, Long> refusals,
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

    private static final Duration STALL = Duration.ofMinutes(2);
    /** How long the meters node waits for the central system and the concentrator host to be listed in the cluster. */
    private static final Duration JOINING = Duration.ofSeconds(60);
    /** How long a provisioned account, on a central node already listed, may take to answer (it recovers first). */
    private static final Duration ACCOUNT_CHECK = Duration.ofSeconds(15);
    /** The scenario chose Paillier: meters encrypt their shares, the central system's key reads the group sums. */
    private final boolean paillier;
    private static final double TECHNICAL_LOSSES = NeighbourhoodPlan.TECHNICAL_LOSSES;
    private static final String CONCENTRATOR = NeighbourhoodPlan.CONCENTRATOR;
    private static final int ACKNOWLEDGE_EVERY = NeighbourhoodPlan.ACKNOWLEDGE_EVERY;
    private final ActorSystem<Void> system;
    private final SimulationSettings settings;
    private final List<Scenario.TimelineEvent> timeline;
    private final java.util.Set<String> operatorsNamed;
    private final List<String> notes = new ArrayList<>();
    /** Per household: the part a compromised-module event names, and the channels its kernel gave that part. */
    private final Map<Integer, Part> compromisedParts = new java.util.HashMap<>();
    private final Map<Integer, java.util.concurrent.atomic.AtomicReference<Wiring>> leakedWiring = new ConcurrentHashMap<>();
    /** Per compromised household: its breaker openings when it was compromised. */
    private final Map<Integer, Integer> compromisedSince = new java.util.HashMap<>();
    private final AtomicIntegerArray switchOffsPerMeter;
    private final List<Theft> thefts = new ArrayList<>();
    /** Meters named by bulk switch commands the gateway accepted, and how many released commands they answered. */
    private final java.util.Set<String> switchTargets = new java.util.TreeSet<>();
    private long switchesSettled;
    private long floodCommands;
    private long compromisedSends;
    private long tariffChanges;
    private int nextEvent;
    /** At a speed factor, the least wall time an interval takes; zero as fast as possible. */
    private final Duration wallTimePerInterval;
    private final FlowPolicy policy;
    private final DropCounter drops = new DropCounter();
    /** Work under way inside the meters: the driver of a reproducible run waits for it to end between steps. */
    private final Activity activity = Activity.counting();
    private final LongAdder envelopesToConcentrator = new LongAdder();
    private final java.util.concurrent.atomic.AtomicLong framesRefusedByConcentrator = new java.util.concurrent.atomic.AtomicLong();
    private ActorRef<Object> centralLine;
    /** Across nodes only (otherwise null): what the bridge to the concentrator's node has passed each way. */
    private final MeterBridge.Counters bridge;
    /** Across nodes only: the central node's downlink router, asked how many frames for meters it passed on. */
    private ActorRef<DownlinkRouter.GetPassedOn> downlinkRouters;
    /** A run that goes on after its meters node died ({@link #resumedAcrossNodes}). */
    private final boolean resume;
    /** Across nodes only: this node's bridge to the concentrator. */
    private ActorRef<Object> meterBridge;
    private final List<Meter.Handle> handles = new ArrayList<>();
    private final List<String> meterIds = new ArrayList<>();
    private final List<LoadProfile> profiles = new ArrayList<>();
    private final boolean[] prepaid;
    private final AtomicIntegerArray supplyOn;
    private final AtomicIntegerArray groupsDone;
    private final AtomicLongArray aggregateWh;
    private final LongAdder readings = new LongAdder();
    private final LongAdder switchOffs = new LongAdder();
    private final LongAdder switchOns = new LongAdder();
    private final java.util.concurrent.atomic.AtomicBoolean intakePaused = new java.util.concurrent.atomic.AtomicBoolean();
    private final List<Alert> alerts = java.util.Collections.synchronizedList(new ArrayList<>());
    private long topUps;
    /** What each meter's Display shows: supply state and prepaid credit, for the report. */
    private final java.util.concurrent.atomic.AtomicReferenceArray<Display.View> screens;
    private final long[] feederWh;
    private final List<IntervalSample> samples = new ArrayList<>();
    private final Map<Integer, Screens> shownAt = new java.util.HashMap<>();
    private Map<String, Long> dropsSoFar = Map.of();
    private int groups;
    private final Map<String, SigningKeys> operators = new java.util.TreeMap<>();
    private ActorRef<Object> concentrator;
    private ActorRef<FeederMeter.Command> feeder;
    private CentralSystem.Handles central;

    /** The nodes this meters node joined were not started for its scenario. */
    public static final class ClusterMismatch extends IllegalStateException {
        public ClusterMismatch(String message) {
            super(message);
        }
    }

    /** A theft in force: household {@code meter}'s Metrology sees {@code 1 - fraction} from interval {@code from} to before {@code until}. */
    private record Theft(int meter, double fraction, int from, int until) {
    }

    /** A neighbourhood without a timeline: households, concentrator and central system on an ordinary day. */
    public Neighbourhood(ActorSystem<Void> system, SimulationSettings settings, FlowPolicy policy) {
        this(system, settings, null, policy);
    }

    /**
     * A neighbourhood that plays {@code scenario}'s timeline: each event runs from the driver thread at the
     * start of the interval that contains its time.
     *
     * @param intervalsInFlight see {@link SimulationSettings}
     */
    public Neighbourhood(ActorSystem<Void> system, Scenario scenario, int intervalsInFlight, FlowPolicy policy) {
        this(system, scenario.toSettings(intervalsInFlight), scenario, policy);
    }

    /**
     * The meters' side of a neighbourhood split over nodes: this node (role meters) runs the meters and the
     * driver; the central system and the concentrator run on nodes of their roles in the same cluster, which
     * derive keys and groups from the same seed ({@link NeighbourhoodPlan}). The central node must have been
     * started for this scenario ({@code hasm node --role central --scenario ... --meters ... --seed-keys ...}).
     */
    public static Neighbourhood acrossNodes(ActorSystem<Void> system, Scenario scenario, FlowPolicy policy) {
        return new Neighbourhood(system, scenario.toSettings(1), scenario, policy, MeterBridge.Counters.fresh(), false);
    }

    /**
     * {@link #acrossNodes} again after the meters node died, on the meters' journals it left: each meter
     * recovers its segments, the concentrator node hands over the running concentrator, and the run goes on
     * from the interval after the latest reading the central system holds (the timeline's earlier events and
     * the prepaid set-up are not played again).
     */
    public static Neighbourhood resumedAcrossNodes(ActorSystem<Void> system, Scenario scenario, FlowPolicy policy) {
        return new Neighbourhood(system, scenario.toSettings(1), scenario, policy, MeterBridge.Counters.fresh(), true);
    }

    private Neighbourhood(ActorSystem<Void> system, SimulationSettings settings, Scenario scenario, FlowPolicy policy) {
        this(system, settings, scenario, policy, null, false);
    }

    private Neighbourhood(ActorSystem<Void> system, SimulationSettings settings, Scenario scenario, FlowPolicy policy,
                          MeterBridge.Counters bridge, boolean resume) {
        this.system = system;
        this.bridge = bridge;
        this.resume = resume;
        this.settings = settings;
        this.wallTimePerInterval = scenario == null ? Duration.ZERO : scenario.speed().wallTimePer(settings.interval());
        this.timeline = scenario == null ? List.of() : scenario.timeline();
        this.operatorsNamed = scenario == null ? java.util.Set.of() : scenario.operators();
        this.switchOffsPerMeter = new AtomicIntegerArray(settings.meters());
        for (Scenario.TimelineEvent e : timeline) {
            if (e.action() instanceof Action.CompromisedModule m) {
                Part earlier = compromisedParts.putIfAbsent(m.meter(), m.part());
                if (earlier != null && earlier != m.part()) {
                    notes.add("meter " + m.meter() + " has one compromised module in this run (" + earlier + "), not " + m.part());
                }
            }
        }
        this.paillier = scenario != null && scenario.aggregation() == Scenario.Aggregation.PAILLIER;
        this.policy = policy;
        this.prepaid = new boolean[settings.meters()];
        this.supplyOn = new AtomicIntegerArray(settings.meters());
        this.groupsDone = new AtomicIntegerArray(settings.intervals() + 1);
        this.aggregateWh = new AtomicLongArray(settings.intervals() + 1);
        this.screens = new java.util.concurrent.atomic.AtomicReferenceArray<>(settings.meters());
        this.feederWh = new long[settings.intervals()];
    }

    /** The configuration a neighbourhood's actor system needs over {@code base}: the central system is sharded. */
    public static Config actorSystemConfig(Config base) {
        return ClusterSettings.oneNode().withFallback(base);
    }

    /** Provisions and assembles every meter, the concentrator and the central system; {@code assembled} is told after each meter. */
    public void assemble(java.util.function.IntConsumer assembled) throws Exception {
        // keys and groups from the seed alone, as a central or concentrator node in another process derives them
        SeededFleet fleet = new SeededFleet(settings.seed(), settings.meters());
        RuleAttribution attribution = new RuleAttribution(policy);
        long intervalMs = settings.interval().toMillis();
        Tariff tariff = NeighbourhoodPlan.TARIFF;
        NeighbourhoodPlan.Aggregation aggregation = NeighbourhoodPlan.aggregation(settings.seed(), settings.meters(), paillier);
        List<Integer> sizes = aggregation.sizes();
        List<AggregationScheme> schemes = aggregation.schemes();
        List<AggregationGroup> aggregationGroups = aggregation.groups();
        AggregationScheme.AggregateReader paillierReader = aggregation.reader();
        // The concentrator's outputs: aggregates tell the driver an interval is complete, alerts go to the report.
        ActorRef<CentralSystemLink.Aggregate> aggregates = system.systemActorOf(Behaviors.<CentralSystemLink.Aggregate>receiveMessage(a -> {
            if (a instanceof CentralSystemLink.AggregateReading r) {
                int index = (int) (r.round() - SimulationSettings.START / intervalMs);
                if (index >= 0 && index < groupsDone.length()) {
                    aggregateWh.addAndGet(index, r.totalWh());
                    readings.add(r.contributors());
                    groupsDone.incrementAndGet(index);
                }
            } else if (a instanceof CentralSystemLink.CombinedShare c && paillierReader != null) {
                // The key holder's step (the central system's): read the sum and give it back for the feeder comparison.
                long total = paillierReader.total(new Share.Encrypted(c.round(), c.ciphertext()));
                c.replyTo().tell(new CentralSystemLink.AggregateRead(c.group(), c.round(), total));
                int index = (int) (c.round() - SimulationSettings.START / intervalMs);
                if (index >= 0 && index < groupsDone.length()) {
                    aggregateWh.addAndGet(index, total);
                    readings.add(c.contributors());
                    groupsDone.incrementAndGet(index);
                }
            } else if (a instanceof CentralSystemLink.AggregateWithheld w) {
                int index = (int) (w.round() - SimulationSettings.START / intervalMs);
                if (index >= 0 && index < groupsDone.length()) {
                    groupsDone.incrementAndGet(index);
                }
            }
            return Behaviors.same();
        }), "aggregates", Props.empty());
        SigningKeys alertKey = NeighbourhoodPlan.concentratorAlertKey(settings.seed());
        ActorRef<CentralSystemLink.FraudAlert> alertInbox = system.systemActorOf(Behaviors.<CentralSystemLink.FraudAlert>receiveMessage(f -> {
            // the central system keeps it in its journal (the forensic trail); the report's list is the run's view
            central.fraudAlerts().get(CONCENTRATOR).tell(new FraudAlertLedger.Receive(f, system.ignoreRef()));
            java.util.Optional<SignedFraudAlert> alert = SignedFraudAlert.decode(f.signedAlert());
            if (alert.isPresent() && alert.get().verifies(alertKey.verifyingKey())) {
                SignedFraudAlert a = alert.get();
                alerts.add(new Alert((a.toRound() + 1) * intervalMs, "fraud", String.format(java.util.Locale.ROOT,
                        "feeder %,d Wh vs aggregate %,d Wh over intervals %d-%d", a.feederWh(), a.aggregateWh(),
                        a.fromRound() - SimulationSettings.START / intervalMs, a.toRound() - SimulationSettings.START / intervalMs)));
            } else {
                alerts.add(new Alert(0, "forged alert", "an alert from " + f.concentratorId() + " did not verify"));
            }
            return Behaviors.same();
        }), "fraud-alerts", Props.empty());
        ActorRef<DataConcentrator.IntakeNotice> intake = system.systemActorOf(Behaviors.<DataConcentrator.IntakeNotice>receiveMessage(n -> {
            if (n instanceof DataConcentrator.IntakePaused) {
                intakePaused.set(true);
            } else if (n instanceof DataConcentrator.FrameRefused r) {
                framesRefusedByConcentrator.accumulateAndGet(r.refused(), Math::max);
            } else if (n instanceof DataConcentrator.IntakeResumed) {
                intakePaused.set(false);
            }
            return Behaviors.same();
        }), "concentrator-intake", Props.empty());

        groups = sizes.size();

        operators.putAll(NeighbourhoodPlan.operatorKeys(settings.seed(), operatorsNamed));
        ActorRef<Envelope> toConcentrator;
        if (bridge != null) {
            // the central system and the concentrator run on other nodes (hasm simulate --processes 3)
            central = CentralLocator.locate(system, List.of(CONCENTRATOR), JOINING).toCompletableFuture().get();
            String last = SeededFleet.meterId(settings.meters() - 1);
            try {
                AskPattern.<ShardingEnvelope<MeterAccount.Command>, MeterAccount.AccountView>ask(central.accounts(),
                        replyTo -> new ShardingEnvelope<>(last, new MeterAccount.GetAccount(replyTo)), ACCOUNT_CHECK, system.scheduler())
                        .toCompletableFuture().get();
            } catch (java.util.concurrent.ExecutionException e) {
                // an account the central node was not provisioned for refuses frames and answers no questions
                throw new ClusterMismatch("the central node has no account for meter " + last + " (no answer within "
                        + ACCOUNT_CHECK.toSeconds() + " s): start it with this run's --scenario, --meters and --seed-keys");
            }
            ActorRef<ConcentratorHost.Command> host;
            try {
                host = CentralLocator.first(system, ConcentratorHost.KEY, JOINING).get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new ClusterMismatch("the cluster listed no concentrator node within " + JOINING.toSeconds()
                        + " s: start one with 'hasm node --role concentrator --seed HOST:PORT'");
            }
            ConcentratorHost.Started started = AskPattern.<ConcentratorHost.Command, ConcentratorHost.Started>ask(host,
                    replyTo -> new ConcentratorHost.StartConcentrator(settings.seed(), settings.meters(), paillier, aggregates,
                            alertInbox, intake, replyTo), JOINING, system.scheduler()).toCompletableFuture().get();
            if (started.refusal() != null) {
                throw new ClusterMismatch("the concentrator node did not start the concentrator: " + started.refusal());
            }
            concentrator = started.concentrator();
            feeder = started.feeder();
            centralLine = started.line();
            downlinkRouters = CentralLocator.first(system, DownlinkRouter.ROUTERS, JOINING).get();
            meterBridge = system.systemActorOf(MeterBridge.create(concentrator, bridge), "meter-bridge", Props.empty());
            toConcentrator = meterBridge.narrow();
        } else {
            // One line between the concentrator and the central system, both ways: an account's frame for its meter
            // and its confirmation of a delivery reach the concentrator in the order the account sent them, so a
            // concentrator with nothing in flight has also passed on every frame for the meters (see awaitQuiet).
            centralLine = system.systemActorOf(CentralLine.create(), "central-line", Props.empty());
            central = CentralSystemFactory.neighbourhood(system, settings.seed(), settings.meters(), settings.interval(),
                    operatorsNamed, ACKNOWLEDGE_EVERY, centralLine.narrow());
            DataConcentrator.Settings concentratorSettings = NeighbourhoodPlan.concentratorSettings(CONCENTRATOR, settings.meters());
            concentrator = system.systemActorOf(DataConcentrator.create(concentratorSettings, alertKey, aggregationGroups,
                    new DataConcentrator.Links(centralLine.narrow(), aggregates, alertInbox, intake)), "concentrator", Props.empty());
            centralLine.tell(new CentralLine.Connect(concentrator, central.inbox()));
            feeder = system.systemActorOf(FeederMeter.create("feeder-1", TECHNICAL_LOSSES, concentrator.narrow()), "feeder",
                    Props.empty());
            ActorRef<Object> concentratorForMeters = concentrator;
            toConcentrator = system.systemActorOf(Behaviors.<Envelope>receiveMessage(e -> {
                concentratorForMeters.tell(e);
                envelopesToConcentrator.increment(); // after the tell: counted means already in its mailbox
                return Behaviors.same();
            }), "meters-to-concentrator", Props.empty());
        }

        ActorRef<Envelope> home = system.systemActorOf(Behaviors.<Envelope>ignore(), "homes", Props.empty());
        SplittableRandom choice = new SplittableRandom(settings.seed());
        // the meters measure at the scenario's interval: with the default 15 minutes under an hourly scenario no
        // interval's shares ever matched the round the driver waited for, and the run stalled
        MeterConfig config = MeterConfig.DEFAULT.withInterval(settings.interval());
        int group = 0;
        int inGroup = 0;
        // Meters start STARTING at a time (each recovers six segments from the journal, mostly waiting on the
        // database) and are taken in order, so the handles and the concentrator's members are the same each run.
        java.util.ArrayDeque<Starting> starting = new java.util.ArrayDeque<>();
        for (int i = 0; i < settings.meters(); i++) {
            if (inGroup == sizes.get(group)) {
                group++;
                inGroup = 0;
            }
            String id = SeededFleet.meterId(i);
            ProvisionedMeter account = fleet.apply(id);
            int index = i;
            supplyOn.set(i, 1);
            StandardMeterParts parts = new StandardMeterParts(id, SimulationSettings.START, config, tariff,
                    account.csSecurityKeys(), account.offSwitchSecurityKeys(), schemes.get(group).meter(inGroup),
                    closed -> {
                        supplyOn.set(index, closed ? 1 : 0);
                        (closed ? switchOns : switchOffs).increment();
                        if (!closed) {
                            switchOffsPerMeter.incrementAndGet(index);
                        }
                    }, view -> screens.set(index, view));
            MeterParts meterParts = compromisedParts.containsKey(i) ? leaking(parts, compromisedParts.get(i), i) : parts;
            Meter.Blueprint blueprint = new Meter.Blueprint(id, policy, meterParts, Map.of(Part.DataConcentrator, toConcentrator,
                    Part.HanGateway, home, Part.MaintenanceTechnician, home), attribution, drops, activity);
            starting.addLast(new Starting(i, id, "g" + group, inGroup, Meter.start(system, blueprint).toCompletableFuture()));
            if (starting.size() == STARTING) {
                started(starting.removeFirst(), choice, assembled);
            }
            inGroup++;
        }
        while (!starting.isEmpty()) {
            started(starting.removeFirst(), choice, assembled);
        }
    }

    /** How many meters start at once while a neighbourhood is assembled. */
    private static final int STARTING = 64;

    /** A meter on its way up: member {@code index} of {@code group} at the concentrator. */
    private record Starting(int meter, String id, String group, int index, CompletableFuture<Meter.Handle> handle) {
    }

    /** Waits for the meter to be up and attaches it to the concentrator, in the meters' order. */
    private void started(Starting s, SplittableRandom choice, java.util.function.IntConsumer assembled) throws Exception {
        Meter.Handle handle = s.handle().get(30, TimeUnit.SECONDS);
        if (bridge != null) {
            meterBridge.tell(new MeterBridge.Attach(s.id(), s.group(), s.index(), handle.from(Part.DataConcentrator, Part.Communications)));
        } else {
            concentrator.tell(new DataConcentrator.AttachMeter(s.id(), s.group(), s.index(),
                    handle.from(Part.DataConcentrator, Part.Communications)));
        }
        handles.add(handle);
        meterIds.add(s.id());
        profiles.add(new LoadProfile(settings.seed(), s.meter()));
        prepaid[s.meter()] = choice.nextDouble() < settings.prepaidShare();
        assembled.accept(s.meter() + 1);
    }

    /** Frames the concentrator refused because its queue was full (each also logged by it). */
    public long framesRefusedByConcentrator() {
        return framesRefusedByConcentrator.get();
    }

    /** Alerts the central system has received so far (fraud, operator gateway). */
    public int alertsSoFar() {
        return alerts.size();
    }

    public Result run(Progress progress) throws Exception {
        long start = System.nanoTime();
        long intervalMs = settings.interval().toMillis();
        int total = settings.intervals();
        long t0 = SimulationSettings.START;
        int first = resume ? resumeInterval() : 0;
        if (resume) {
            notes.add("resumed at interval " + first + " (" + java.time.Instant.ofEpochMilli(t0 + first * intervalMs)
                    + "), after the last reading the central system holds; the summary counts from there");
        }
        for (Meter.Handle h : handles) {
            h.from(Part.Environment, Part.Clock).send(new TimeSignal(t0 + first * intervalMs));
        }
        while (nextEvent < timeline.size() && timeline.get(nextEvent).at().intervalIndex(settings.interval()) < first) {
            nextEvent++; // it happened before the meters node died
        }
        if (!resume) {
            List<Purchase> initial = new ArrayList<>();
            List<Integer> prepaidMeters = new ArrayList<>();
            for (int i = 0; i < handles.size(); i++) {
                if (prepaid[i]) {
                    initial.add(new Purchase(i, 300 + new SplittableRandom(settings.seed() + i).nextInt(500)));
                    prepaidMeters.add(i);
                }
            }
            topUps(initial, t0); // each token is typed in before its account issues the switch to prepaid mode
            List<MeterAccount.Issued> issued = askEach(prepaidMeters,
                    n -> replyTo -> new MeterAccount.IssueCommand(CommandKind.SET_PAYMENT_MODE, "true", t0, replyTo));
            for (int n = 0; n < issued.size(); n++) {
                if (issued.get(n).refusal() != null) {
                    throw new IllegalStateException("the account of " + meterIds.get(prepaidMeters.get(n))
                            + " refused prepaid mode: " + issued.get(n).refusal());
                }
            }
            awaitPrepaidShown();
        }
        int waitedFor = first;
        for (int k = first; k < total; k++) {
            long from = t0 + k * intervalMs;
            long end = from + intervalMs;
            long round = from / intervalMs;
            awaitIntake();
            boolean acted = false;
            while (nextEvent < timeline.size() && timeline.get(nextEvent).at().intervalIndex(settings.interval()) <= k) {
                act(timeline.get(nextEvent++), k, from);
                acted = true;
            }
            if (acted && reproducible()) {
                awaitQuiet(); // what the operators did reaches the meters before their clocks move on
            }
            List<Purchase> wanted = new ArrayList<>();
            for (int i = 0; i < handles.size(); i++) {
                Meter.Handle h = handles.get(i);
                long wh = supplyOn.get(i) == 1 ? profiles.get(i).energyWh(from, intervalMs) : 0;
                feederWh[k] += wh;
                // a bypassed meter sees only part of what flows; the feeder meter measures all of it
                long metered = Math.round(wh * (1 - stolenFraction(i, k)));
                h.from(Part.Environment, Part.Metrology).send(new EnergySample(from + intervalMs / 2, metered, 0));
                h.from(Part.Environment, Part.Clock).send(new TimeSignal(end));
                if (!reproducible()) {
                    consumerActs(i, k, wanted);
                }
            }
            topUps(wanted, end);
            feeder.tell(new FeederMeter.EnergyFlow(round, feederWh[k]));
            feeder.tell(new FeederMeter.EndOfInterval(round));
            // P16's rate limit counts simulated minutes: the gateway releases what is due minute by minute
            for (long minute = from + 60_000; minute <= end; minute += 60_000) {
                central.gateway().tell(new OperatorGateway.Tick(minute));
            }
            awaitSwitchesSettled();
            if (reproducible()) {
                // Every meter's interval settles before the households act on what they see, and that
                // settles before the next interval: each meter gets the same inputs in the same order.
                awaitQuiet();
                List<Purchase> wantedOnceSettled = new ArrayList<>();
                for (int i = 0; i < handles.size(); i++) {
                    consumerActs(i, k, wantedOnceSettled);
                }
                topUps(wantedOnceSettled, end);
                awaitQuiet();
            }
            shownAt.put(k, screensNow());
            pace(start, k);
            while (waitedFor <= k - settings.intervalsInFlight()) {
                completed(waitedFor++, progress);
            }
        }
        while (waitedFor < total) {
            completed(waitedFor++, progress);
        }
        awaitQuiet(); // the meters' last anchors are with the accounts before they are read
        awaitAlertsKept();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Map<Object, Long> dropsPerRule = new java.util.TreeMap<>();
        drops.snapshot().forEach((k, v) -> dropsPerRule.merge(k.rule(), v, Long::sum));
        long anchors = 0;
        long bills = 0;
        long frames = 0;
        long reports = 0;
        Map<String, Long> refusals = new java.util.TreeMap<>();
        long switchCommands = 0;
        long switchesAccepted = 0;
        long unauthorised = 0;
        Map<String, Integer> billsPerMeter = new java.util.TreeMap<>();
        // Each account answers after what it was sent before: the frames relayed so far are in its journal.
        for (int i = 0; i < meterIds.size(); i++) {
            String id = meterIds.get(i);
            MeterAccount.AccountView view = AskPattern.<ShardingEnvelope<MeterAccount.Command>, MeterAccount.AccountView>ask(
                    central.accounts(), replyTo -> new ShardingEnvelope<>(id, new MeterAccount.GetAccount(replyTo)),
                    STALL, system.scheduler()).toCompletableFuture().get();
            anchors += view.anchors();
            bills += view.bills().size();
            frames += view.readings() + view.anchors();
            reports += view.switchAcknowledgements().size();
            view.refusals().forEach((cause, n) -> refusals.merge(cause, n, Long::sum));
            billsPerMeter.put(id, view.bills().size());
            switchCommands += view.switchCommands();
            long accepted = view.switchAcknowledgements().values().stream().filter("ACCEPTED"::equals).count();
            switchesAccepted += accepted;
            Integer since = compromisedSince.get(i);
            if (since != null) {
                // what the central system commanded is authorised; anything else that opened the breaker is not
                unauthorised += Math.max(0, switchOffsPerMeter.get(i) - since - accepted);
            }
        }
        OperatorGateway.Status status = AskPattern.<OperatorGateway.Command, OperatorGateway.Status>ask(central.gateway(),
                OperatorGateway.GetStatus::new, STALL, system.scheduler()).toCompletableFuture().get();
        List<BulkAttempt> attempts = status.attempts().stream().map(a -> new BulkAttempt(a.at(), a.requestId(),
                a.operatorId(), a.action(), a.outcome().name(), a.meters(), a.reason())).toList();
        // what the gateway held back or refused is an alert at the central system, beside the fraud alerts
        for (OperatorGateway.AttemptRecorded a : status.attempts()) {
            if (a.outcome() == OperatorGateway.Outcome.HELD_FOR_QUORUM || a.outcome() == OperatorGateway.Outcome.REFUSED) {
                alerts.add(new Alert(a.at(), "operator gateway", String.format(java.util.Locale.ROOT,
                        "%s's %s of %d meters %s: %s", a.operatorId(), a.action(), a.meters(), a.outcome(), a.reason())));
            }
        }
        List<Alert> alertsInOrder = alerts.stream().sorted(java.util.Comparator.comparingLong(Alert::time)).toList();
        Timeline done = new Timeline(attempts, status.released(), switchCommands, switchesAccepted, tariffChanges,
                floodCommands, compromisedSends, unauthorised, billsPerMeter, List.copyOf(notes));
        return new Result(handles.size(), total - first, readings(), frames, reports, switchOffs.sum(), switchOns.sum(),
                topUps, anchors, bills, refusals, dropsPerRule, alertsInOrder, elapsed, List.copyOf(samples), done);
    }

    /** At a speed factor, holds the driver until interval {@code k} is due in wall time (a pace, not a wait for anything). */
    private void pace(long startNanos, int k) throws InterruptedException {
        long due = startNanos + (k + 1) * wallTimePerInterval.toNanos();
        long ahead = due - System.nanoTime();
        if (ahead > 0) {
            TimeUnit.NANOSECONDS.sleep(ahead);
        }
    }

    /** What of the scenario this run cannot do, one line each, known before it starts. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** Runs one timeline event at the start of interval {@code k} (epoch millis {@code now}), from the driver thread. */
    private void act(Scenario.TimelineEvent event, int k, long now) throws Exception {
        Action a = event.action();
        if (a instanceof Action.TariffChange c) {
            String tariff = c.tariff().encode();
            List<Integer> all = java.util.stream.IntStream.range(0, handles.size()).boxed().toList();
            List<MeterAccount.Issued> issued = askEach(all,
                    n -> replyTo -> new MeterAccount.IssueCommand(CommandKind.SET_TARIFF, tariff, now, replyTo));
            for (int i = 0; i < issued.size(); i++) {
                if (issued.get(i).refusal() != null) {
                    throw new IllegalStateException("the account of " + meterIds.get(i) + " refused the tariff change: "
                            + issued.get(i).refusal());
                }
                tariffChanges++;
            }
        } else if (a instanceof Action.TopUp u) {
            topUps(List.of(new Purchase(u.meter(), u.cents())), now);
        } else if (a instanceof Action.Theft t) {
            int until = t.until().map(u -> u.intervalIndex(settings.interval())).orElse(settings.intervals());
            thefts.add(new Theft(t.meter(), t.fraction(), k, until));
        } else if (a instanceof Action.LogFlood f) {
            flood(f.meter(), f.commands(), now);
        } else if (a instanceof Action.OperatorBulkSwitchOff b) {
            bulkSwitchOff(b, nextEvent - 1, now);
        } else if (a instanceof Action.CompromisedModule m) {
            compromise(m.meter(), m.part(), k, now);
        } else if (a instanceof Action.TamperingConcentrator t) {
            concentrator.tell(new DataConcentrator.StartTampering(t.mode() == Action.TamperingConcentrator.Mode.EDIT
                    ? DataConcentrator.Tampering.EDIT : DataConcentrator.Tampering.REPLAY, t.count()));
        }
    }

    private double stolenFraction(int meter, int k) {
        double f = 0;
        for (Theft t : thefts) {
            if (t.meter() == meter && k >= t.from() && k < t.until()) {
                f = Math.max(f, t.fraction());
            }
        }
        return f;
    }

    /**
     * Commands on the concentrator's link to the meter's Communications, sealed under keys of another
     * central system: each fails authentication and must be logged without pushing anything else out (P11).
     */
    private void flood(int meter, int commands, long now) {
        org.hasm.actors.central.ProvisionedMeter forger = new org.hasm.actors.central.Provisioning("cs-forged",
                SimulationRandomness.seeded(settings.seed(), "log-flood")).provision(meterIds.get(meter));
        String tariff = Tariff.flat(1).encode();
        var link = handles.get(meter).from(Part.DataConcentrator, Part.Communications);
        for (int n = 0; n < commands; n++) {
            link.send(new FrameFromCentralSystem(forger.command(CommandKind.SET_TARIFF, tariff, now / 1000)));
        }
        floodCommands += commands;
    }

    /**
     * The operator signs a switch-off of the first {@code count} households and sends it to the gateway; the
     * approvers each sign an approval of exactly that request. The gateway decides (P16).
     */
    private void bulkSwitchOff(Action.OperatorBulkSwitchOff b, int eventIndex, long now) throws Exception {
        List<String> meters = meterIds.subList(0, b.count(meterIds.size()));
        String requestId = String.format(java.util.Locale.ROOT, "timeline-%d-%s", eventIndex, b.operator());
        OperatorSigning.BulkRequest request = OperatorSigning.request(operators.get(b.operator()), b.operator(), requestId,
                now / 1000, CommandKind.SWITCH_OFF, meters);
        List<OperatorGateway.AttemptOutcome> outcomes = new ArrayList<>();
        outcomes.add(askGateway(replyTo -> new OperatorGateway.RequestBulk(request, replyTo)));
        for (String approver : b.approvals()) {
            OperatorSigning.Approval approval = OperatorSigning.approval(operators.get(approver), approver, request);
            outcomes.add(askGateway(replyTo -> new OperatorGateway.Approve(approval, replyTo)));
        }
        if (outcomes.stream().anyMatch(o -> o.outcome() == OperatorGateway.Outcome.EXECUTED
                || o.outcome() == OperatorGateway.Outcome.RATE_LIMITED)) {
            switchTargets.addAll(meters);
        }
    }

    /** One interval at a time, each settled before the next: the same seed and scenario write the same logs. */
    private boolean reproducible() {
        return settings.intervalsInFlight() == 1;
    }

    /**
     * Until nothing is under way anywhere the meters could hear from: no message or segment write inside a
     * meter ({@link Activity}), every envelope the meters sent is in the concentrator's mailbox and handled
     * (it answers a question only after what was queued before it), nothing waits on the line to the central
     * system, and the concentrator holds no frame the central system has not confirmed.
     */
    private void awaitQuiet() throws Exception {
        if (bridge != null) {
            awaitQuietAcrossNodes();
            return;
        }
        pollUntil(1, () -> {
            if (!activity.idle() || envelopesToConcentrator.sum() != activity.sentTo(Part.DataConcentrator)) {
                return false;
            }
            lineSynced();
            DataConcentrator.Statistics st = concentratorStatistics();
            return st.queued() == 0 && st.inFlight() == 0 && activity.idle()
                    && envelopesToConcentrator.sum() == activity.sentTo(Part.DataConcentrator);
        }, () -> activity.pending() + " messages or writes still under way in the meters after " + STALL.toMinutes() + " minutes");
    }

    /**
     * {@link #awaitQuiet} when the concentrator and the central system are on other nodes. Messages between two
     * actors keep their order, but an account's frame for its meter passes its node's downlink router while
     * its confirmation goes straight to the line, so each hop is checked by counts, downstream in order: every
     * envelope the meters sent has passed the bridge and reached the concentrator, which holds no frame; the
     * line has passed on every frame the router passed on (the router is asked after the concentrator: a
     * confirmation it has means its account's frames were in the router's mailbox before the question);
     * the bridge has handed the meters everything the concentrator sent them; and the meters are idle again.
     */
    private void awaitQuietAcrossNodes() throws Exception {
        pollUntil(1, () -> {
            if (!activity.idle() || bridge.envelopes().sum() != activity.sentTo(Part.DataConcentrator)) {
                return false;
            }
            DataConcentrator.Statistics before = concentratorStatistics();
            DataConcentrator.BridgeTally tallyBefore = bridgeTally();
            if (tallyBefore.received() != bridge.forwarded().sum() || before.queued() != 0 || before.inFlight() != 0) {
                return false;
            }
            long passedOn = AskPattern.<DownlinkRouter.GetPassedOn, DownlinkRouter.PassedOn>ask(downlinkRouters,
                    DownlinkRouter.GetPassedOn::new, STALL, system.scheduler()).toCompletableFuture().get().frames();
            if (lineSynced().framesToMeters() != passedOn) {
                return false;
            }
            DataConcentrator.Statistics after = concentratorStatistics();
            DataConcentrator.BridgeTally tallyAfter = bridgeTally();
            return tallyAfter.sent() == bridge.delivered().sum() && tallyAfter.received() == tallyBefore.received()
                    && after.inFlight() == 0 && after.queued() == 0
                    && activity.idle() && bridge.envelopes().sum() == activity.sentTo(Part.DataConcentrator);
        }, () -> activity.pending() + " messages or writes still under way in the meters after " + STALL.toMinutes() + " minutes");
    }

    /** What passed between the concentrator and this node's bridge, as the concentrator counts it. */
    private DataConcentrator.BridgeTally bridgeTally() throws Exception {
        return AskPattern.<Object, DataConcentrator.BridgeTally>ask(concentrator,
                replyTo -> new DataConcentrator.GetBridgeTally(meterBridge.narrow(), replyTo), STALL, system.scheduler())
                .toCompletableFuture().get();
    }

    /**
     * Where a resumed run starts: the interval after the latest reading any account holds. A meter whose later
     * readings were still on their way when its node died has them in its MetrologyLog, unacknowledged.
     */
    private int resumeInterval() throws Exception {
        // what the dead node's meters sent is delivered first, or a reading still queued would be measured again
        pollUntil(5, () -> {
            DataConcentrator.Statistics st = concentratorStatistics();
            return st.queued() == 0 && st.inFlight() == 0;
        }, () -> "the concentrator did not deliver what the dead meters node's meters had sent within " + STALL.toMinutes() + " minutes");
        long latest = SimulationSettings.START;
        for (int i = 0; i < meterIds.size(); i++) {
            latest = Math.max(latest, this.<MeterAccount.AccountView>ask(i, MeterAccount.GetAccount::new).lastReadingEnd());
        }
        return (int) Math.min(settings.intervals(), (latest - SimulationSettings.START) / settings.interval().toMillis());
    }

    /** Once the line to the central system has passed on everything it received before the question. */
    private CentralLine.Synced lineSynced() throws Exception {
        return AskPattern.<Object, CentralLine.Synced>ask(centralLine, CentralLine.Sync::new, STALL, system.scheduler())
                .toCompletableFuture().get();
    }

    private DataConcentrator.Statistics concentratorStatistics() throws Exception {
        return AskPattern.<Object, DataConcentrator.Statistics>ask(concentrator, DataConcentrator.GetStatistics::new, STALL,
                system.scheduler()).toCompletableFuture().get();
    }

    /** Until the central system's ledger holds every fraud alert the concentrator sent: the run's trail is in the store. */
    private void awaitAlertsKept() throws Exception {
        ActorRef<FraudAlertLedger.Command> ledger = central.fraudAlerts().get(CONCENTRATOR);
        pollUntil(1, () -> {
            DataConcentrator.Statistics st = AskPattern.<Object, DataConcentrator.Statistics>ask(concentrator,
                    DataConcentrator.GetStatistics::new, STALL, system.scheduler()).toCompletableFuture().get();
            return AskPattern.<FraudAlertLedger.Command, FraudAlertLedger.Alerts>ask(ledger, FraudAlertLedger.GetAlerts::new, STALL,
                    system.scheduler()).toCompletableFuture().get().alerts().size() >= st.alerts();
        }, () -> "the central system did not record the concentrator's fraud alerts within " + STALL.toMinutes() + " minutes");
    }

    /** A condition the driver polls; it may ask actors. */
    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    /**
     * Polls {@code done} every {@code everyMs} on the driver thread (it is not an actor, so it cannot be told)
     * and gives up after {@link #STALL} with "the simulation stalled: " and {@code stalled}.
     */
    private static void pollUntil(long everyMs, Condition done, java.util.function.Supplier<String> stalled) throws Exception {
        long deadline = System.nanoTime() + STALL.toNanos();
        while (!done.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the simulation stalled: " + stalled.get());
            }
            Thread.sleep(everyMs);
        }
    }

    /**
     * Until every switch command the gateway has released so far is answered by its meter (the answer comes
     * after the OffSwitchLog entry and the breaker): a switch-off then takes effect in the interval after its
     * release however fast the driver runs. Waits at most {@link #STALL}; then the run goes on with a note.
     */
    private void awaitSwitchesSettled() throws Exception {
        if (switchTargets.isEmpty()) {
            return;
        }
        OperatorGateway.Status status = AskPattern.<OperatorGateway.Command, OperatorGateway.Status>ask(central.gateway(),
                OperatorGateway.GetStatus::new, STALL, system.scheduler()).toCompletableFuture().get();
        if (status.released() <= switchesSettled) {
            return;
        }
        long deadline = System.nanoTime() + STALL.toNanos();
        while (true) {
            long answered = 0;
            for (String id : switchTargets) {
                answered += this.<MeterAccount.AccountView>ask(meterIds.indexOf(id), MeterAccount.GetAccount::new)
                        .switchAcknowledgements().size();
            }
            if (answered >= status.released()) {
                switchesSettled = status.released();
                return;
            }
            if (System.nanoTime() > deadline) {
                notes.add((status.released() - answered) + " released switch commands were not answered by their meters within "
                        + STALL.toMinutes() + " minutes; the run went on without them");
                switchesSettled = status.released();
                return;
            }
            Thread.sleep(5); // the driver is not an actor: it polls the accounts
        }
    }

    private OperatorGateway.AttemptOutcome askGateway(java.util.function.Function<ActorRef<OperatorGateway.AttemptOutcome>,
            OperatorGateway.Command> question) throws Exception {
        return AskPattern.ask(central.gateway(), question::apply, STALL, system.scheduler()).toCompletableFuture().get();
    }

    /** Off-policy messages a compromised part may try (DESIGN 4): open the breaker, mint credit, leave prepaid, zero the tariff. */
    private static List<PolicyMessage> offPolicyAttempts(long now) {
        return List.of(new Actuate(false), new TopUp(100_000_000L, Long.MAX_VALUE, now), new ZeroCredit(now),
                new PrepaidModeChange(false, now), new TariffUpdate(Tariff.flat(0), now));
    }

    /**
     * The compromised part sends what the policy does not allow on every channel its kernel gave it inside the meter, and
     * raw messages around the kernel to the breaker and the credit balance: the guards must drop each one.
     */
    private void compromise(int meter, Part part, int k, long now) {
        if (compromisedParts.get(meter) != part) {
            return; // one compromised module per meter: noted when the neighbourhood was made
        }
        Wiring wiring = leakedWiring.get(meter).get();
        if (wiring == null) {
            throw new IllegalStateException("the compromised " + part + " of " + meterIds.get(meter) + " was never wired");
        }
        compromisedSince.putIfAbsent(meter, switchOffsPerMeter.get(meter));
        for (Map.Entry<Part, org.hasm.policy.kernel.Channel<PolicyMessage>> channel : new java.util.TreeMap<>(wiring.channels()).entrySet()) {
            if (channel.getKey().kind() == Part.Kind.EXTERNAL) {
                continue; // outside the meter no guard of its kernel stands; the concentrator's own checks are elsewhere
            }
            for (PolicyMessage m : offPolicyAttempts(now)) {
                if (!policy.allows(part, channel.getKey(), m.messageType())) {
                    channel.getValue().send(m);
                    compromisedSends++;
                }
            }
        }
        org.apache.pekko.actor.ActorSystem classic = org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system);
        for (Part target : List.of(Part.OffSwitch, Part.CreditBalance)) {
            classic.actorSelection(handles.get(meter).meter().path().child(target.name()))
                    .tell(target == Part.OffSwitch ? new Actuate(false) : new TopUp(100_000_000L, Long.MAX_VALUE, now),
                            org.apache.pekko.actor.ActorRef.noSender());
            compromisedSends++;
        }
    }

    /** The meter's parts, with {@code part} keeping a copy of the channels its kernel gives it: the attacker's foothold. */
    private MeterParts leaking(MeterParts parts, Part part, int meter) {
        java.util.concurrent.atomic.AtomicReference<Wiring> leak = new java.util.concurrent.atomic.AtomicReference<>();
        leakedWiring.put(meter, leak);
        return new MeterParts() {
            @Override
            public org.apache.pekko.actor.typed.Behavior<PolicyMessage> behaviour(Part p) {
                org.apache.pekko.actor.typed.Behavior<PolicyMessage> real = parts.behaviour(p);
                return p != part ? real : Behaviors.intercept(() -> new org.apache.pekko.actor.typed.BehaviorInterceptor<PolicyMessage, PolicyMessage>(PolicyMessage.class) {
                    @Override
                    public org.apache.pekko.actor.typed.Behavior<PolicyMessage> aroundReceive(
                            org.apache.pekko.actor.typed.TypedActorContext<PolicyMessage> ctx, PolicyMessage msg,
                            ReceiveTarget<PolicyMessage> target) {
                        if (msg instanceof Wiring w) {
                            leak.set(w);
                        }
                        return target.apply(ctx, msg);
                    }
                }, real);
            }

            @Override
            public SegmentQuota quota(Part segment) {
                return parts.quota(segment);
            }
        };
    }

    private void completed(int k, Progress progress) throws InterruptedException {
        awaitInterval(k);
        long end = SimulationSettings.START + (k + 1) * settings.interval().toMillis();
        samples.add(sample(k, end));
        progress.intervalDone(k + 1, settings.intervals(), end, readings());
    }

    /** What the Displays showed when the driver finished an interval, before it went on to the next. */
    private record Screens(int on, int off, int armed, long creditSum, long creditMin) {
    }

    /** The Displays' supply and credit as the driver left interval {@code k}, and the policy drops since the last sample. */
    private IntervalSample sample(int k, long end) {
        Screens shown = shownAt.remove(k);
        Map<String, Long> now = new java.util.TreeMap<>();
        drops.snapshot().forEach((key, n) -> now.merge(String.valueOf(key.rule()), n, Long::sum));
        Map<String, Long> during = new java.util.TreeMap<>();
        now.forEach((rule, n) -> {
            long d = n - dropsSoFar.getOrDefault(rule, 0L);
            if (d > 0) {
                during.put(rule, d);
            }
        });
        dropsSoFar = now;
        return new IntervalSample(k, end, Math.round(feederWh[k] * (1 + TECHNICAL_LOSSES)), aggregateWh.get(k), shown.on(),
                shown.off(), shown.armed(), shown.creditSum(), shown.creditMin(), during);
    }

    /**
     * The Displays as they are now. Taken by the driver at the end of each interval: the interval's sample
     * is made later, when its aggregates are in and the driver may be intervals ahead.
     */
    private Screens screensNow() {
        int on = 0;
        int off = 0;
        int armed = 0;
        long creditSum = 0;
        long creditMin = Long.MAX_VALUE;
        for (int i = 0; i < screens.length(); i++) {
            Display.View v = screens.get(i);
            Supply supply = v == null ? Supply.ON : v.supply();
            switch (supply) {
                case ON -> on++;
                case OFF -> off++;
                case ARMED -> armed++;
            }
            if (prepaid[i] && v != null) {
                creditSum += v.creditMilliCents();
                creditMin = Math.min(creditMin, v.creditMilliCents());
            }
        }
        return new Screens(on, off, armed, creditSum, creditMin == Long.MAX_VALUE ? 0 : creditMin);
    }

    /** A prepaid household that has been cut off tops up once in a while (added to {@code wanted}), or confirms on its Display. */
    private void consumerActs(int i, int k, List<Purchase> wanted) {
        if (!prepaid[i] || supplyOn.get(i) == 1) {
            return;
        }
        SplittableRandom r = new SplittableRandom(settings.seed() * 31 + i * 1_000_003L + k);
        if (r.nextDouble() < 0.2) {
            wanted.add(new Purchase(i, 500 + r.nextInt(1500)));
        } else if (r.nextDouble() < 0.5) {
            handles.get(i).from(Part.Environment, Part.Display).send(new ButtonPress());
        }
    }

    /** Meter {@code meter}'s household buys a token worth {@code cents}. */
    private record Purchase(int meter, long cents) {
    }

    /** The top-ups of several households at once: their accounts issue the tokens in parallel, then each is typed in. */
    private void topUps(List<Purchase> wanted, long now) throws Exception {
        List<MeterAccount.TopUpIssued> tokens = askEach(wanted.stream().map(Purchase::meter).toList(),
                n -> replyTo -> new MeterAccount.IssueTopUp(wanted.get(n).cents(), now, replyTo));
        for (int n = 0; n < tokens.size(); n++) {
            typeIn(wanted.get(n).meter(), tokens.get(n));
        }
    }

    /** The household types in the token its account (the vendor) issued: TopUpGateway to Communications. */
    private void typeIn(int i, MeterAccount.TopUpIssued token) {
        if (token.refusal() != null) {
            throw new IllegalStateException("the account of " + meterIds.get(i) + " refused a top-up: " + token.refusal());
        }
        topUps++;
        handles.get(i).from(Part.TopUpGateway, Part.Communications).send(new TopUpTokenFrame(token.token()));
    }

    /** Asks meter {@code i}'s account from the driver thread (not an actor: it may wait). */
    private <T> T ask(int i, Function<ActorRef<T>, MeterAccount.Command> question) throws Exception {
        return asking(i, question).get();
    }

    /**
     * Asks the accounts of {@code meters} all at once, the {@code n}th one {@code questionAt(n)}, and returns
     * their answers in that order. One account persists one answer at a time; asked one after the other, a
     * thousand accounts cost a thousand journal round trips of the driver's time, asked together their writes
     * share batches. Each account still gets its questions in the order they are asked, so the logs are the same.
     */
    private <T> List<T> askEach(List<Integer> meters, IntFunction<Function<ActorRef<T>, MeterAccount.Command>> questionAt)
            throws Exception {
        List<CompletableFuture<T>> answers = new ArrayList<>(meters.size());
        for (int n = 0; n < meters.size(); n++) {
            answers.add(asking(meters.get(n), questionAt.apply(n)));
        }
        List<T> in = new ArrayList<>(answers.size());
        for (CompletableFuture<T> a : answers) {
            in.add(a.get());
        }
        return in;
    }

    private <T> CompletableFuture<T> asking(int i, Function<ActorRef<T>, MeterAccount.Command> question) {
        String id = meterIds.get(i);
        return AskPattern.<ShardingEnvelope<MeterAccount.Command>, T>ask(central.accounts(),
                replyTo -> new ShardingEnvelope<>(id, question.apply(replyTo)), STALL, system.scheduler())
                .toCompletableFuture();
    }

    private long readings() {
        return readings.sum();
    }

    /** Prepaid households start metering once their Display shows prepaid mode: the same start in every run. */
    private void awaitPrepaidShown() throws Exception {
        for (int i = 0; i < handles.size(); i++) {
            int meter = i;
            pollUntil(2, () -> !prepaid[meter] || (screens.get(meter) != null && screens.get(meter).prepaid()),
                    () -> meterIds.get(meter) + " did not show prepaid mode within " + STALL.toMinutes() + " minutes");
        }
    }

    /** While the concentrator has paused its intake, no household's next interval starts (backpressure). */
    private void awaitIntake() throws Exception {
        pollUntil(2, () -> !intakePaused.get(), () -> "the concentrator paused its intake " + STALL.toMinutes()
                + " minutes ago and has not resumed");
    }

    /** Waits on the driver thread until the concentrator has published or withheld every group's aggregate of interval {@code k}. */
    private void awaitInterval(int k) throws InterruptedException {
        long deadline = System.nanoTime() + STALL.toNanos();
        int seen = -1;
        boolean closed = false;
        while (groupsDone.get(k) < groups) {
            int now = groupsDone.get(k);
            if (now != seen) {
                seen = now;
                deadline = System.nanoTime() + STALL.toNanos();
            } else if (!closed && System.nanoTime() > deadline - STALL.toNanos() / 2) {
                // a meter's share is missing: recover the groups' sums from the others (CloseInterval)
                concentrator.tell(new DataConcentrator.CloseInterval(SimulationSettings.START / settings.interval().toMillis() + k));
                closed = true;
            } else if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the simulation stalled: interval " + k + " has " + now + " of "
                        + groups + " aggregates after " + STALL.toMinutes() + " minutes without progress");
            }
            Thread.sleep(2); // the driver is not an actor: it polls a counter the aggregates fill
        }
    }
}
