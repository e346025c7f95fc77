package org.hasm.actors.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;
import java.util.function.IntToDoubleFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.central.LogKeyRegister;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.external.TopUpGateway;
import org.hasm.actors.fleet.NeighbourhoodPlan;
import org.hasm.actors.fleet.SeededFleet;
import org.hasm.actors.meter.Display;
import org.hasm.actors.meter.Meter;
import org.hasm.actors.meter.MeterConfig;
import org.hasm.actors.meter.MeterSignals.ButtonPress;
import org.hasm.actors.meter.MeterSignals.EnergySample;
import org.hasm.actors.meter.MeterSignals.TimeSignal;
import org.hasm.actors.meter.StandardMeterParts;
import org.hasm.actors.meter.Supply;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Activity;
import org.hasm.policy.kernel.DropCounter;
import org.hasm.policy.kernel.Envelope;
import org.hasm.policy.verify.RuleAttribution;
import org.hasm.actors.sim.scenario.SimulationSettings;

/**
 * The households and their meters: the energy each uses, what its Display shows, and what a prepaid
 * household does about it (buys a token from its account and types it in, or confirms reconnection). The
 * meters' external interfaces end at the {@link Homes}: the HAN gateway, the technician and the keypads.
 */
final class Households {
    /** How many meters start at once while a neighbourhood is assembled. */
    private static final int STARTING = 64;

    /** Meter {@code meter}'s household buys a token worth {@code cents}. */
    record Purchase(int meter, long cents) {
    }

    /** What the Displays showed when the driver finished an interval, before it went on to the next. */
    record Screens(int on, int off, int armed, long creditSum, long creditMin) {
    }

    /** A meter on its way up: member {@code index} of {@code group} at the concentrator. */
    private record Starting(int meter, String id, String group, int index, CompletableFuture<Meter.Handle> handle) {
    }

    private final SimulationSettings settings;
    private final Accounts accounts;
    private final List<Meter.Handle> handles = new ArrayList<>();
    private final List<String> meterIds = new ArrayList<>();
    /** The public log keys of the meters provisioned here, for the key register replay verify trusts. */
    private final Map<String, LogKeyRegister.LogKeys> logKeys = new java.util.HashMap<>();
    private final List<LoadProfile> profiles = new ArrayList<>();
    private final boolean[] prepaid;
    private final AtomicIntegerArray supplyOn;
    private final AtomicIntegerArray switchOffsPerMeter;
    private final LongAdder switchOffs = new LongAdder();
    private final LongAdder switchOns = new LongAdder();
    /** What each meter's Display shows: supply state and prepaid credit, for the report. */
    private final AtomicReferenceArray<Display.View> screens;
    /** Per meter: completed once its Display has shown prepaid mode. */
    private final List<CompletableFuture<Void>> prepaidShown;
    private long topUps;
    private ActorSystem<Void> system;
    private Activity activity;
    /** The HAN gateway, the technician and the keypads on the households' side of the meters. */
    private Homes homes;

    Households(SimulationSettings settings, Accounts accounts) {
        this.settings = settings;
        this.accounts = accounts;
        this.prepaid = new boolean[settings.meters()];
        this.supplyOn = new AtomicIntegerArray(settings.meters());
        this.switchOffsPerMeter = new AtomicIntegerArray(settings.meters());
        this.screens = new AtomicReferenceArray<>(settings.meters());
        this.prepaidShown = new ArrayList<>(settings.meters());
        for (int i = 0; i < settings.meters(); i++) {
            prepaidShown.add(new CompletableFuture<>());
        }
    }

    /** What the meters are made of besides their parts: the policy and the counters every meter shares. */
    record Kernel(FlowPolicy policy, DropCounter drops, Activity activity) {
    }

    /**
     * Provisions and starts every meter ({@code compromise} may leak a part's channels) and attaches it to the
     * concentrator of {@code topology}; {@code assembled} is told after each meter.
     */
    void assemble(ActorSystem<Void> system, Kernel kernel, NeighbourhoodPlan.Aggregation aggregation, Topology topology,
                  Compromise compromise, IntConsumer assembled) throws Exception {
        // keys and groups from the seed alone, as a central or concentrator node in another process derives them
        SeededFleet fleet = new SeededFleet(settings.seed(), settings.meters());
        RuleAttribution attribution = new RuleAttribution(kernel.policy());
        List<Integer> sizes = aggregation.sizes();
        this.system = system;
        this.activity = kernel.activity();
        homes = new Homes(system, kernel.activity());
        Map<Part, ActorRef<Envelope>> externals = Map.of(Part.DataConcentrator, topology.toConcentrator(),
                Part.HanGateway, homes.han, Part.MaintenanceTechnician, homes.technician);
        SplittableRandom choice = new SplittableRandom(settings.seed());
        // the meters measure at the scenario's interval: with the default 15 minutes under an hourly scenario no
        // interval's shares ever matched the round the driver waited for, and the run stalled
        MeterConfig config = MeterConfig.DEFAULT.withInterval(settings.interval());
        int group = 0;
        int inGroup = 0;
        // Meters start STARTING at a time (each recovers six segments from the journal, mostly waiting on the
        // database) and are taken in order, so the handles and the concentrator's members are the same each run.
        ArrayDeque<Starting> starting = new ArrayDeque<>();
        for (int i = 0; i < settings.meters(); i++) {
            if (inGroup == sizes.get(group)) {
                group++;
                inGroup = 0;
            }
            String id = SeededFleet.meterId(i);
            ProvisionedMeter account = fleet.apply(id);
            logKeys.put(id, account.logKeys());
            supplyOn.set(i, 1);
            StandardMeterParts parts = new StandardMeterParts(id, SimulationSettings.START, config, NeighbourhoodPlan.TARIFF,
                    account.csSecurityKeys(), account.offSwitchSecurityKeys(), aggregation.schemes().get(group).meter(inGroup),
                    supplySwitched(i), shown(i));
            Meter.Blueprint blueprint = new Meter.Blueprint(id, kernel.policy(), compromise.parts(i, parts), externals,
                    attribution, kernel.drops(), kernel.activity());
            starting.addLast(new Starting(i, id, "g" + group, inGroup, Meter.start(system, blueprint).toCompletableFuture()));
            if (starting.size() == STARTING) {
                started(starting.removeFirst(), topology, choice, assembled);
            }
            inGroup++;
        }
        while (!starting.isEmpty()) {
            started(starting.removeFirst(), topology, choice, assembled);
        }
    }

    LogKeyRegister logKeyRegister() {
        return LogKeyRegister.of(logKeys);
    }

    /** What meter {@code i}'s breaker tells: closed or open. */
    private java.util.function.Consumer<Boolean> supplySwitched(int i) {
        return closed -> {
            supplyOn.set(i, closed ? 1 : 0);
            (closed ? switchOns : switchOffs).increment();
            if (!closed) {
                switchOffsPerMeter.incrementAndGet(i);
            }
        };
    }

    /** What meter {@code i}'s Display shows. */
    private java.util.function.Consumer<Display.View> shown(int i) {
        return view -> {
            screens.set(i, view);
            if (view.prepaid()) {
                prepaidShown.get(i).complete(null);
            }
        };
    }

    /** Waits for the meter to be up and attaches it to the concentrator, in the meters' order. */
    private void started(Starting s, Topology topology, SplittableRandom choice, IntConsumer assembled) throws Exception {
        Meter.Handle handle = s.handle().get(30, TimeUnit.SECONDS);
        topology.attach(s.id(), s.group(), s.index(), handle);
        handles.add(handle);
        meterIds.add(s.id());
        profiles.add(new LoadProfile(settings.seed(), s.meter()));
        prepaid[s.meter()] = choice.nextDouble() < settings.prepaidShare();
        assembled.accept(s.meter() + 1);
    }

    /** Every meter's clock is set to {@code time}. */
    void setClocks(long time) {
        for (Meter.Handle h : handles) {
            h.from(Part.Environment, Part.Clock).send(new TimeSignal(time));
        }
    }

    /**
     * The run stops cleanly at {@code time}: every meter's clock says so, and each owner of a segment anchors
     * the entries it has not anchored yet (docs/log-chain.md).
     */
    void close(long time) {
        for (Meter.Handle h : handles) {
            h.from(Part.Environment, Part.Clock).send(new TimeSignal(time, true));
        }
    }

    /**
     * The prepaid households' first tokens, typed in before their accounts switch them to prepaid mode; the
     * households start metering once their Displays show it: the same start in every run.
     */
    void enterPrepaidMode(long t0, Topology topology) throws Exception {
        List<Purchase> initial = new ArrayList<>();
        List<Integer> prepaidMeters = new ArrayList<>();
        for (int i = 0; i < handles.size(); i++) {
            if (prepaid[i]) {
                initial.add(new Purchase(i, 300 + new SplittableRandom(settings.seed() + i).nextInt(500)));
                prepaidMeters.add(i);
            }
        }
        topUps(initial, t0); // each token is typed in before its account issues the switch to prepaid mode
        // the top-ups settle first: each accepted one sends its anchor, whose frame must not race the command's
        topology.awaitQuiet();
        List<MeterAccount.Issued> issued = accounts.askEach(prepaidMeters,
                n -> replyTo -> new MeterAccount.IssueCommand(CommandKind.SET_PAYMENT_MODE, "true", t0, replyTo));
        for (int n = 0; n < issued.size(); n++) {
            if (issued.get(n).refusal() != null) {
                throw new IllegalStateException("the account of " + meterIds.get(prepaidMeters.get(n))
                        + " refused prepaid mode: " + issued.get(n).refusal());
            }
        }
        for (int i = 0; i < handles.size(); i++) {
            if (prepaid[i]) {
                int meter = i;
                Waiting.until(prepaidShown.get(i), () -> meterIds.get(meter) + " did not show prepaid mode within "
                        + Waiting.STALL.toMinutes() + " minutes");
            }
        }
    }

    /**
     * Interval {@code k}'s energy from {@code from}: each household's flows (if its supply is on), its meter
     * sees all but {@code stolen} of it and its clock moves to the interval's end. With {@code wanted} not null
     * each household acts on its Display at once (added to {@code wanted}). Returns what flowed in all.
     */
    long flow(int k, long from, IntToDoubleFunction stolen, List<Purchase> wanted) {
        long intervalMs = settings.interval().toMillis();
        long end = from + intervalMs;
        long total = 0;
        for (int i = 0; i < handles.size(); i++) {
            Meter.Handle h = handles.get(i);
            long wh = supplyOn.get(i) == 1 ? profiles.get(i).energyWh(from, intervalMs) : 0;
            total += wh;
            // a bypassed meter sees only part of what flows; the feeder meter measures all of it
            long metered = Math.round(wh * (1 - stolen.applyAsDouble(i)));
            h.from(Part.Environment, Part.Metrology).send(new EnergySample(from + intervalMs / 2, metered, 0));
            h.from(Part.Environment, Part.Clock).send(new TimeSignal(end));
            if (wanted != null) {
                consumerActs(i, k, wanted);
            }
        }
        return total;
    }

    /** Every household acts on what its Display shows at the end of interval {@code k}; returns the tokens wanted. */
    List<Purchase> act(int k) {
        List<Purchase> wanted = new ArrayList<>();
        for (int i = 0; i < handles.size(); i++) {
            consumerActs(i, k, wanted);
        }
        return wanted;
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

    /** The top-ups of several households at once: their accounts issue the tokens in parallel, then each is typed in. */
    void topUps(List<Purchase> wanted, long now) throws Exception {
        List<MeterAccount.TopUpIssued> tokens = accounts.askEach(wanted.stream().map(Purchase::meter).toList(),
                n -> replyTo -> new MeterAccount.IssueTopUp(wanted.get(n).cents(), now, replyTo));
        for (int n = 0; n < tokens.size(); n++) {
            typeIn(wanted.get(n).meter(), tokens.get(n));
        }
        if (!tokens.isEmpty()) {
            // as when the driver sent them itself: every token is at its meter's Communications before the
            // driver goes on (the first ones must be there before their accounts switch to prepaid mode)
            AskPattern.<TopUpGateway.Keypads, Boolean>ask(homes.keypads, TopUpGateway.Passed::new, Waiting.STALL,
                    system.scheduler()).toCompletableFuture().get();
        }
    }

    /** The household types in the token its account (the vendor) issued on its keypad: TopUpGateway to Communications. */
    private void typeIn(int i, MeterAccount.TopUpIssued token) {
        if (token.refusal() != null) {
            throw new IllegalStateException("the account of " + meterIds.get(i) + " refused a top-up: " + token.refusal());
        }
        topUps++;
        activity.begin(); // the hop through the keypads is under way: ended by them once the token has left
        homes.keypads.tell(new TopUpGateway.EnterAt(handles.get(i).from(Part.TopUpGateway, Part.Communications),
                token.token()));
    }

    /**
     * The Displays as they are now. Taken by the driver at the end of each interval: the interval's sample
     * is made later, when its aggregates are in and the driver may be intervals ahead.
     */
    Screens screensNow() {
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

    int size() {
        return handles.size();
    }

    Meter.Handle handle(int i) {
        return handles.get(i);
    }

    String meterId(int i) {
        return meterIds.get(i);
    }

    /** The meter ids in the households' order. */
    List<String> meterIds() {
        return meterIds;
    }

    /** Household {@code i}'s breaker openings so far. */
    int switchOffsOf(int i) {
        return switchOffsPerMeter.get(i);
    }

    long switchOffs() {
        return switchOffs.sum();
    }

    long switchOns() {
        return switchOns.sum();
    }

    long topUps() {
        return topUps;
    }

    /** What the homes have received over the HAN and on the technician's screen so far. */
    Homes.Received homesReceived() {
        return homes.received();
    }

    /** Until the homes' wall displays have shown every push the meters sent over the HAN (the meters count those). */
    void awaitHomesShown() throws Exception {
        Waiting.until(homes.whenShown(activity.sentTo(Part.HanGateway)),
                () -> "the HAN gateway handed " + homes.received().total() + " of the meters' "
                        + activity.sentTo(Part.HanGateway) + " pushes to the homes within " + Waiting.STALL.toMinutes()
                        + " minutes");
    }
}
