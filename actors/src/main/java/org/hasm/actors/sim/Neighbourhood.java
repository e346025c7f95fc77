package org.hasm.actors.sim;

import java.security.SecureRandom;
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
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.central.AnchorLedger;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.central.Provisioning;
import org.hasm.actors.crypto.AggregationScheme;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.crypto.GcmFrameOpener;
import org.hasm.actors.crypto.SimulationRandomness;
import org.hasm.actors.crypto.SystemTitle;
import org.hasm.actors.crypto.ZeroSumMasking;
import org.hasm.actors.meter.Display;
import org.hasm.actors.meter.Meter;
import org.hasm.actors.meter.MeterConfig;
import org.hasm.actors.meter.MeterSignals.AggregationShare;
import org.hasm.actors.meter.MeterSignals.ButtonPress;
import org.hasm.actors.meter.MeterSignals.EnergySample;
import org.hasm.actors.meter.MeterSignals.FrameFromCentralSystem;
import org.hasm.actors.meter.MeterSignals.FrameToCentralSystem;
import org.hasm.actors.meter.MeterSignals.SwitchReport;
import org.hasm.actors.meter.MeterSignals.TimeSignal;
import org.hasm.actors.meter.MeterSignals.TopUpTokenFrame;
import org.hasm.actors.meter.StandardMeterParts;
import org.hasm.actors.meter.Supply;
import org.hasm.actors.meter.Tariff;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.DropCounter;
import org.hasm.policy.kernel.Envelope;
import org.hasm.policy.verify.RuleAttribution;

/**
 * A neighbourhood of households with their meters, driven through virtual time from one thread (not
 * an actor thread): each interval every household's energy flows and every meter's clock ticks. At most
 * {@code intervalsInFlight} intervals are under way: the driver waits until every meter's aggregation
 * share of an older interval reached the concentrator. Prepaid households top up when they have been
 * cut off and confirm reconnection on their Display.
 *
 * <p>Today the concentrator is a counting stand-in and the central system is only its anchor ledgers
 * (issue 6): the concentrator counts the frames for the central system and relays each, by the sender's
 * system title in its header, to that meter's {@link AnchorLedger}, which opens it and persists the signed
 * log anchors it carries on the central system's own journal ({@code hasm.journal.central-anchors}).
 */
public final class Neighbourhood {
    /** Told after each interval whose readings are all in. */
    @FunctionalInterface
    public interface Progress {
        void intervalDone(int done, int total, long simulatedTime, long readings);
    }

    /**
     * What the neighbourhood looked like when interval {@code index} was complete.
     *
     * @param feederWh what flowed to all households in the interval (the feeder meter's truth)
     * @param drops    policy drops per rule during the interval
     */
    public record IntervalSample(int index, long time, long feederWh, int metersOn, int metersOff, int metersArmed,
                                 long prepaidCreditSum, long prepaidCreditMin, Map<String, Long> drops) {
    }

    public record Result(int meters, int intervals, long readings, long framesToCentralSystem, long switchReports,
                         long switchOffs, long switchOns, long topUps, long anchors, Map<Object, Long> drops,
                         Duration elapsed, List<IntervalSample> samples) {
        public double readingsPerSecond() {
            return readings / Math.max(1e-9, elapsed.toNanos() / 1e9);
        }
    }

    private static final Duration STALL = Duration.ofMinutes(2);

    private final ActorSystem<Void> system;
    private final SimulationSettings settings;
    private final FlowPolicy policy;
    private final DropCounter drops = new DropCounter();
    private final List<Meter.Handle> handles = new ArrayList<>();
    private final List<ProvisionedMeter> accounts = new ArrayList<>();
    /** Each meter's anchor ledger, by the system title its frames carry; filled before the meter starts. */
    private final Map<SystemTitle, ActorRef<AnchorLedger.Command>> ledgers = new ConcurrentHashMap<>();
    private final List<LoadProfile> profiles = new ArrayList<>();
    private final boolean[] prepaid;
    private final AtomicIntegerArray supplyOn;
    private final AtomicLongArray sharesPerInterval;
    private final LongAdder readings = new LongAdder();
    private final LongAdder frames = new LongAdder();
    private final LongAdder reports = new LongAdder();
    private final LongAdder switchOffs = new LongAdder();
    private final LongAdder switchOns = new LongAdder();
    private long topUps;
    /** What each meter's Display shows: supply state and prepaid credit, for the report. */
    private final java.util.concurrent.atomic.AtomicReferenceArray<Display.View> screens;
    private final long[] feederWh;
    private final List<IntervalSample> samples = new ArrayList<>();
    private Map<String, Long> dropsSoFar = Map.of();

    public Neighbourhood(ActorSystem<Void> system, SimulationSettings settings, FlowPolicy policy) {
        this.system = system;
        this.settings = settings;
        this.policy = policy;
        this.prepaid = new boolean[settings.meters()];
        this.supplyOn = new AtomicIntegerArray(settings.meters());
        this.sharesPerInterval = new AtomicLongArray(settings.intervals() + 1);
        this.screens = new java.util.concurrent.atomic.AtomicReferenceArray<>(settings.meters());
        this.feederWh = new long[settings.intervals()];
    }

    /** Provisions and assembles every meter; {@code assembled} is told after each one. */
    public void assemble(java.util.function.IntConsumer assembled) throws Exception {
        SecureRandom keys = SimulationRandomness.seeded(settings.seed(), "provisioning");
        Provisioning provisioning = new Provisioning("cs-1", keys);
        RuleAttribution attribution = new RuleAttribution(policy);
        long intervalMs = settings.interval().toMillis();
        ActorRef<Envelope> concentrator = system.systemActorOf(Behaviors.<Envelope>receiveMessage(e -> {
            Object m = e.payload();
            if (m instanceof AggregationShare s && !s.recovery()) {
                int index = (int) (s.share().round() - SimulationSettings.START / intervalMs);
                if (index >= 0 && index < sharesPerInterval.length()) {
                    sharesPerInterval.incrementAndGet(index);
                    readings.increment();
                }
            } else if (m instanceof FrameToCentralSystem f) {
                frames.increment();
                ledgerOf(f.bytes()).ifPresent(l -> l.tell(new AnchorLedger.FromCsSecurity(f.bytes())));
            } else if (m instanceof SwitchReport r) {
                reports.increment();
                ledgerOf(r.bytes()).ifPresent(l -> l.tell(new AnchorLedger.FromOffSwitchSecurity(r.bytes())));
            }
            return Behaviors.same();
        }), "concentrator", Props.empty());
        ActorRef<Envelope> home = system.systemActorOf(Behaviors.<Envelope>ignore(), "homes", Props.empty());
        SplittableRandom choice = new SplittableRandom(settings.seed());
        AggregationScheme group = null;
        MeterConfig config = MeterConfig.DEFAULT;
        for (int i = 0; i < settings.meters(); i++) {
            String id = String.format("m%05d", i);
            if (i % 8 == 0) {
                group = ZeroSumMasking.generateGroup(Math.min(8, Math.max(2, settings.meters() - i)), keys);
            }
            ProvisionedMeter account = provisioning.provision(id);
            // the ledger opens what the meter sends; the driver thread only seals commands and tokens
            // with the account's other keys and counters
            ledgers.put(SystemTitle.ofMeter(id), system.systemActorOf(new AnchorLedger(account), "anchors-" + id, Props.empty()));
            int index = i;
            supplyOn.set(i, 1);
            StandardMeterParts parts = new StandardMeterParts(id, SimulationSettings.START, config, Tariff.timeOfUse(15_000, 35_000, 17, 21),
                    account.csSecurityKeys(), account.offSwitchSecurityKeys(), group.meter((i % 8) % group.groupSize()),
                    closed -> {
                        supplyOn.set(index, closed ? 1 : 0);
                        (closed ? switchOns : switchOffs).increment();
                    }, view -> screens.set(index, view));
            Meter.Blueprint blueprint = new Meter.Blueprint(id, policy, parts, Map.of(Part.DataConcentrator, concentrator,
                    Part.HanGateway, home, Part.MaintenanceTechnician, home), attribution, drops);
            handles.add(Meter.start(system, blueprint).toCompletableFuture().get(30, TimeUnit.SECONDS));
            accounts.add(account);
            profiles.add(new LoadProfile(settings.seed(), i));
            prepaid[i] = choice.nextDouble() < settings.prepaidShare();
            assembled.accept(i + 1);
        }
    }

    public Result run(Progress progress) throws InterruptedException {
        long start = System.nanoTime();
        long intervalMs = settings.interval().toMillis();
        int total = settings.intervals();
        long t0 = SimulationSettings.START;
        for (Meter.Handle h : handles) {
            h.from(Part.Environment, Part.Clock).send(new TimeSignal(t0));
        }
        for (int i = 0; i < handles.size(); i++) {
            if (prepaid[i]) {
                topUp(i, t0, 300 + new SplittableRandom(settings.seed() + i).nextInt(500));
                handles.get(i).from(Part.DataConcentrator, Part.Communications).send(new FrameFromCentralSystem(
                        accounts.get(i).command(CommandKind.SET_PAYMENT_MODE, "true", t0 / 1000)));
            }
        }
        int waitedFor = 0;
        for (int k = 0; k < total; k++) {
            long from = t0 + k * intervalMs;
            long end = from + intervalMs;
            for (int i = 0; i < handles.size(); i++) {
                Meter.Handle h = handles.get(i);
                long wh = supplyOn.get(i) == 1 ? profiles.get(i).energyWh(from, intervalMs) : 0;
                feederWh[k] += wh;
                h.from(Part.Environment, Part.Metrology).send(new EnergySample(from + intervalMs / 2, wh, 0));
                h.from(Part.Environment, Part.Clock).send(new TimeSignal(end));
                consumerActs(i, k, end);
            }
            while (waitedFor <= k - settings.intervalsInFlight()) {
                completed(waitedFor++, progress);
            }
        }
        while (waitedFor < total) {
            completed(waitedFor++, progress);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        long anchors = anchorsRecorded();
        Map<Object, Long> dropsPerRule = new java.util.TreeMap<>();
        drops.snapshot().forEach((k, v) -> dropsPerRule.merge(k.rule(), v, Long::sum));
        return new Result(handles.size(), total, readings(), frames.sum(), reports.sum(), switchOffs.sum(), switchOns.sum(),
                topUps, anchors, dropsPerRule, elapsed, List.copyOf(samples));
    }

    private void completed(int k, Progress progress) throws InterruptedException {
        awaitInterval(k);
        long end = SimulationSettings.START + (k + 1) * settings.interval().toMillis();
        samples.add(sample(k, end));
        progress.intervalDone(k + 1, settings.intervals(), end, readings());
    }

    /** The Displays' supply and credit as they are now, and the policy drops since the last sample. */
    private IntervalSample sample(int k, long end) {
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
        return new IntervalSample(k, end, feederWh[k], on, off, armed, creditSum,
                creditMin == Long.MAX_VALUE ? 0 : creditMin, during);
    }

    private java.util.Optional<ActorRef<AnchorLedger.Command>> ledgerOf(byte[] frame) {
        return GcmFrameOpener.claimedSender(frame).map(ledgers::get);
    }

    /**
     * The anchors all ledgers hold. A ledger answers after the writes of the frames it was given before the
     * question, so once every ledger has answered, the anchors relayed so far are in the journal.
     */
    private long anchorsRecorded() {
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        for (ActorRef<AnchorLedger.Command> ledger : ledgers.values()) {
            answers.add(AskPattern.<AnchorLedger.Command, Integer>ask(ledger, AnchorLedger.CountAnchors::new,
                    STALL, system.scheduler()).toCompletableFuture());
        }
        return answers.stream().mapToLong(CompletableFuture::join).sum();
    }

    /** A prepaid household that has been cut off tops up once in a while, then confirms on its Display. */
    private void consumerActs(int i, int k, long now) {
        if (!prepaid[i] || supplyOn.get(i) == 1) {
            return;
        }
        SplittableRandom r = new SplittableRandom(settings.seed() * 31 + i * 1_000_003L + k);
        if (r.nextDouble() < 0.2) {
            topUp(i, now, 500 + r.nextInt(1500));
        } else if (r.nextDouble() < 0.5) {
            handles.get(i).from(Part.Environment, Part.Display).send(new ButtonPress());
        }
    }

    private void topUp(int i, long now, long cents) {
        topUps++;
        handles.get(i).from(Part.TopUpGateway, Part.Communications).send(new TopUpTokenFrame(accounts.get(i).topUpToken(cents, now / 1000)));
    }

    private long readings() {
        return readings.sum();
    }

    /** Waits on the driver thread until every meter's share of interval {@code k} has reached the concentrator. */
    private void awaitInterval(int k) throws InterruptedException {
        long deadline = System.nanoTime() + STALL.toNanos();
        long seen = -1;
        while (sharesPerInterval.get(k) < handles.size()) {
            long now = sharesPerInterval.get(k);
            if (now != seen) {
                seen = now;
                deadline = System.nanoTime() + STALL.toNanos();
            } else if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the simulation stalled: interval " + k + " has " + now + " of "
                        + handles.size() + " readings after " + STALL.toMinutes() + " minutes without progress");
            }
            Thread.sleep(2); // the driver is not an actor: it polls a counter the concentrator fills
        }
    }
}
