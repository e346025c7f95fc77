package org.hasm.actors.concentrator;

import java.util.ArrayDeque;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.hasm.actors.link.WireMessage;
import org.hasm.actors.link.CentralSystemLink.Aggregate;
import org.hasm.actors.link.CentralSystemLink.AggregateRead;
import org.hasm.actors.link.CentralSystemLink.AggregateReading;
import org.hasm.actors.link.CentralSystemLink.AggregateWithheld;
import org.hasm.actors.link.CentralSystemLink.CombinedShare;
import org.hasm.actors.link.CentralSystemLink.DeliverFrame;
import org.hasm.actors.link.CentralSystemLink.FrameDelivered;
import org.hasm.actors.link.CentralSystemLink.FrameForMeter;
import org.hasm.actors.link.CentralSystemLink.FraudAlert;
import org.hasm.actors.crypto.GcmFrameOpener;
import org.hasm.actors.crypto.Share;
import org.hasm.actors.crypto.SignedFraudAlert;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.crypto.SystemTitle;
import org.hasm.actors.meter.MeterSignals.AggregationRound;
import org.hasm.actors.meter.MeterSignals.AggregationShare;
import org.hasm.actors.meter.MeterSignals.FrameFromCentralSystem;
import org.hasm.actors.meter.MeterSignals.FrameToCentralSystem;
import org.hasm.actors.meter.MeterSignals.SwitchCommandFrame;
import org.hasm.actors.meter.MeterSignals.SwitchReport;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.Envelope;
import org.hasm.policy.kernel.PolicyMessage;
import org.hasm.actors.link.CentralSystemLink;

/**
 * The data concentrator of one neighbourhood ({@code Part.DataConcentrator} in the meters' policy).
 *
 * <ul>
 *   <li><b>Store and forward</b>: the meters' sealed frames for the central system (CS frames and switch
 *       reports) go out in arrival order, at most {@code window} unconfirmed ({@link CentralSystemLink}); the
 *       rest wait in a queue of at most {@code queueCapacity}. Past {@code highWater} queued frames the intake
 *       listener is told to pause, below {@code lowWater} to resume; a frame that finds the queue full is
 *       refused out loud (counted, logged, {@link FrameRefused}), never dropped silently. Frames from the
 *       central system go to the addressed meter's Communications.</li>
 *   <li><b>Aggregation</b> (P14): per group and round it folds the meters' shares; a round the driver closes
 *       with meters missing gets recovery shares from the present ones. It publishes nothing over fewer than
 *       {@code minimumGroupSize} meters, and asks no recovery then either (a recovery over one present meter
 *       would be that meter's reading).</li>
 *   <li><b>Fraud detection</b>: the {@link FeederMeter}'s energy against the sum of the aggregates
 *       ({@link FeederComparison}); a persistent gap becomes a {@link SignedFraudAlert} to the central system.</li>
 * </ul>
 *
 * <p>It takes several message types, so it is spawned as {@code ActorRef<Object>} and each party is handed
 * its side with {@code narrow()}: the meters {@code ActorRef<Envelope>} (meters on another node reach it
 * through their node's {@link MeterBridge}, {@code FromMeter}), the central system
 * {@code ActorRef<FrameDelivered>}, {@code ActorRef<FrameForMeter>} and {@code ActorRef<AggregateRead>}, the
 * feeder {@code ActorRef<FeederReading>}, the driver {@code ActorRef<Command>}.
 *
 * <p>A {@link Tampering} concentrator (a scenario) edits or replays the frames it forwards; the central
 * system's openers refuse both.
 */
public final class DataConcentrator extends AbstractBehavior<Object> {

    /** The concentrator's own protocol (besides the meters' envelopes and {@link CentralSystemLink}). */
    public interface Command {
    }

    /**
     * Wiring, in-process only: meter {@code meterId} is member {@code meterIndex} of {@code group}, reached
     * through the channel its kernel gave the concentrator ({@code Handle.from(DataConcentrator, Communications)}).
     * A channel is a local capability, so this never crosses a node (docs/cluster.md).
     */
    public record AttachMeter(String meterId, String group, int meterIndex, Channel<PolicyMessage> communications)
            implements Command, NoSerializationVerificationNeeded {
        public AttachMeter {
            Objects.requireNonNull(meterId, "meterId");
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(communications, "communications");
        }
    }

    /**
     * Wiring across nodes: meter {@code meterId} is member {@code meterIndex} of {@code group}, on a meters node
     * whose {@link MeterBridge} holds its channel and has checked what comes from it (docs/cluster.md).
     */
    public record AttachBridgedMeter(String meterId, String group, int meterIndex, ActorRef<MeterBridge.ToMeter> bridge)
            implements Command, WireMessage {
        public AttachBridgedMeter {
            Objects.requireNonNull(meterId, "meterId");
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(bridge, "bridge");
        }
    }

    /** Asks what passed through one meters node's bridge: answered with {@link BridgeTally}. */
    public record GetBridgeTally(ActorRef<MeterBridge.ToMeter> bridge, ActorRef<BridgeTally> replyTo) implements Command, WireMessage {
    }

    /**
     * @param received payloads the concentrator received through the bridge
     * @param sent     payloads it sent to meters through the bridge
     */
    public record BridgeTally(long received, long sent) implements WireMessage {
    }

    /** A resumed simulation's driver (its meters node restarted): where the concentrator's outputs go from now on. */
    public record NewDriver(ActorRef<Aggregate> aggregates, ActorRef<FraudAlert> alerts, ActorRef<IntakeNotice> intake)
            implements Command, WireMessage {
        public NewDriver {
            Objects.requireNonNull(aggregates, "aggregates");
            Objects.requireNonNull(alerts, "alerts");
            Objects.requireNonNull(intake, "intake");
        }
    }

    /**
     * The simulation's clock: interval {@code round} is over; groups with missing meters go to recovery. Send it
     * once the interval's shares have had their chance to arrive (a round or two later in virtual time): a share
     * that comes after it is late and discarded. A group whose meters all reported is published without it.
     */
    public record CloseInterval(long round) implements Command, WireMessage {
    }

    /** The feeder meter's energy for interval {@code round}. */
    public record FeederReading(String feederId, long round, long energyWh) implements Command, WireMessage {
    }

    public record GetStatistics(ActorRef<Statistics> replyTo) implements Command, WireMessage {
    }

    /**
     * A tampering concentrator (scenario) turns: it edits or replays the next {@code frames} frames it takes
     * in, then forwards honestly again. A turn adds to what an earlier one has left, of either mode, so a
     * replay turn does not cancel edits still to come. {@link Tampering#NONE} stops all of it at once.
     */
    public record StartTampering(Tampering mode, int frames) implements Command, WireMessage {
        public StartTampering {
            Objects.requireNonNull(mode, "mode");
            if (frames < 0) {
                throw new IllegalArgumentException("a number of frames to tamper with is 0 or more, not " + frames);
            }
        }
    }

    public record Statistics(long framesReceived, long framesForwarded, long framesDelivered, long framesRefused,
                             int queued, int inFlight, boolean intakePaused, long framesToMeters, long strayMessages,
                             long sharesReceived, long lateShares, long recoveryRequests, long aggregatesPublished,
                             long aggregatesWithheld, long intervalsHonest, long intervalsSuspicious,
                             long intervalsInconclusive, long alerts, long framesResent) implements WireMessage {
    }

    /** What the concentrator tells whoever feeds it (the simulation driver). */
    public sealed interface IntakeNotice extends WireMessage permits IntakePaused, IntakeResumed, FrameRefused {
    }

    public record IntakePaused(String concentratorId, int queued) implements IntakeNotice {
    }

    public record IntakeResumed(String concentratorId, int queued) implements IntakeNotice {
    }

    /** A frame found the queue full and was not taken; {@code refused} counts all so far. */
    public record FrameRefused(String concentratorId, String meterId, long refused) implements IntakeNotice {
    }

    /** A compromised concentrator, for the tampering scenario. */
    public enum Tampering {
        NONE,
        /** Flips a bit after the header of every frame it forwards. */
        EDIT,
        /** Forwards every frame twice. */
        REPLAY
    }

    public record Settings(String concentratorId, int window, int queueCapacity, int highWater, int lowWater,
                           int minimumGroupSize, double technicalLosses, double alertThreshold, int alertAfter,
                           Tampering tampering, Duration resendAfter) {
        public Settings {
            Objects.requireNonNull(concentratorId, "concentratorId");
            Objects.requireNonNull(tampering, "tampering");
            Objects.requireNonNull(resendAfter, "resendAfter");
            if (resendAfter.isNegative() || resendAfter.isZero()) {
                throw new IllegalArgumentException("an unconfirmed delivery is resent after a positive time, not " + resendAfter);
            }
            if (window < 1) {
                throw new IllegalArgumentException("the delivery window must be at least 1 frame, not " + window);
            }
            if (queueCapacity < 1 || !(0 <= lowWater && lowWater < highWater && highWater <= queueCapacity)) {
                throw new IllegalArgumentException("queue marks must satisfy 0 <= low (" + lowWater + ") < high ("
                        + highWater + ") <= capacity (" + queueCapacity + ")");
            }
            if (minimumGroupSize < 2) {
                throw new IllegalArgumentException("the minimum group size must be at least 2 (P14), not " + minimumGroupSize);
            }
            if (!(technicalLosses >= 0 && technicalLosses < 1) || !(alertThreshold > 0 && alertThreshold < 1)) {
                throw new IllegalArgumentException("technical losses must be in [0, 1) and the alert threshold in (0, 1), not "
                        + technicalLosses + " and " + alertThreshold);
            }
            if (alertAfter < 1) {
                throw new IllegalArgumentException("an alert needs at least 1 suspicious interval, not " + alertAfter);
            }
        }

        /**
         * 64 frames in flight, 10,000 queued (pause at 8,000, resume at 2,000), k = 5, 3 % losses, alert at a 2 %
         * gap for 4 intervals, an unconfirmed delivery resent after 10 s (then 20, 40, 60, 60 ... s).
         */
        public static Settings defaults(String concentratorId) {
            return new Settings(concentratorId, 64, 10_000, 8_000, 2_000, 5, 0.03, 0.02, 4, Tampering.NONE,
                    Duration.ofSeconds(10));
        }

        public Settings withQueue(int window, int queueCapacity, int highWater, int lowWater) {
            return new Settings(concentratorId, window, queueCapacity, highWater, lowWater, minimumGroupSize,
                    technicalLosses, alertThreshold, alertAfter, tampering, resendAfter);
        }

        public Settings withMinimumGroupSize(int k) {
            return new Settings(concentratorId, window, queueCapacity, highWater, lowWater, k, technicalLosses,
                    alertThreshold, alertAfter, tampering, resendAfter);
        }

        public Settings withFraudDetection(double technicalLosses, double alertThreshold, int alertAfter) {
            return new Settings(concentratorId, window, queueCapacity, highWater, lowWater, minimumGroupSize,
                    technicalLosses, alertThreshold, alertAfter, tampering, resendAfter);
        }

        /** The first resend after {@code resendAfter}; each further one waits twice as long, at most {@link #MAX_RESEND_DELAY}. */
        public Settings withResendAfter(Duration resendAfter) {
            return new Settings(concentratorId, window, queueCapacity, highWater, lowWater, minimumGroupSize,
                    technicalLosses, alertThreshold, alertAfter, tampering, resendAfter);
        }

        public Settings withTampering(Tampering tampering) {
            return new Settings(concentratorId, window, queueCapacity, highWater, lowWater, minimumGroupSize,
                    technicalLosses, alertThreshold, alertAfter, tampering, resendAfter);
        }
    }

    /** Where the concentrator's output goes. */
    public record Links(ActorRef<DeliverFrame> centralSystem, ActorRef<Aggregate> aggregates, ActorRef<FraudAlert> alerts,
                        ActorRef<IntakeNotice> intake) {
        public Links {
            Objects.requireNonNull(centralSystem, "centralSystem");
            Objects.requireNonNull(aggregates, "aggregates");
            Objects.requireNonNull(alerts, "alerts");
            Objects.requireNonNull(intake, "intake");
        }
    }

    /**
     * @param alertKey the concentrator's own signing key; the central system holds its verifying key
     * @throws IllegalArgumentException for settings or groups that cannot work (a group smaller than k)
     */
    public static Behavior<Object> create(Settings settings, SigningKeys alertKey, List<AggregationGroup> groups, Links links) {
        Objects.requireNonNull(alertKey, "alertKey");
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("a concentrator needs at least one aggregation group");
        }
        Set<String> ids = new HashSet<>();
        for (AggregationGroup g : groups) {
            if (g.size() < settings.minimumGroupSize()) {
                throw new IllegalArgumentException("group " + g.id() + " has " + g.size()
                        + " meters, fewer than the minimum group size " + settings.minimumGroupSize() + " (P14)");
            }
            if (!ids.add(g.id())) {
                throw new IllegalArgumentException("group " + g.id() + " is given twice");
            }
        }
        List<AggregationGroup> copy = List.copyOf(groups);
        return Behaviors.setup(context -> Behaviors.withTimers(timers ->
                new DataConcentrator(context, timers, settings, alertKey, copy, links)));
    }

    /** Rounds kept per group after they are done, to recognise late shares. */
    private static final int RETAINED_ROUNDS = 192;

    /** @param communications the way to the meter's Communications: its kernel channel, or a bridge on its node */
    private record Member(String meterId, String group, int index, Consumer<PolicyMessage> communications) {
    }

    private record Pending(String meterId, byte[] frame) {
    }

    /** A delivery sent and not confirmed yet: the bytes as sent (a resend repeats them), and when to resend. */
    private static final class InFlight {
        final String meterId;
        final byte[] sent;
        long resendAtNanos;
        Duration backoff;
        int copies = 1;

        InFlight(String meterId, byte[] sent, long resendAtNanos, Duration backoff) {
            this.meterId = meterId;
            this.sent = sent;
            this.resendAtNanos = resendAtNanos;
            this.backoff = backoff;
        }
    }

    /** The timer's tick: some unconfirmed delivery may be due for a resend. */
    private enum ResendDue { INSTANCE }

    /** The longest wait between two resends of one delivery. */
    public static final Duration MAX_RESEND_DELAY = Duration.ofSeconds(60);
    /** Resent deliveries remembered after their confirmation, so the other copy's confirmation is not stray. */
    private static final int REMEMBERED_RESENDS = 1024;

    private enum RoundState { OPEN, RECOVERING, DONE }

    private static final class Round {
        RoundState state = RoundState.OPEN;
        Map<Integer, Share> shares = new TreeMap<>();
        Map<Integer, Share> recovery = new TreeMap<>();
        Set<Integer> missing = Set.of();
    }

    private static final class Group {
        final AggregationGroup spec;
        final Member[] members;
        final TreeMap<Long, Round> rounds = new TreeMap<>();
        /** Rounds at or below this were forgotten; any share for them is late. */
        long horizon = Long.MIN_VALUE;
        /** Paillier rounds sent to the reader, and whether all meters took part. */
        final Map<Long, Boolean> awaitingRead = new HashMap<>();

        Group(AggregationGroup spec) {
            this.spec = spec;
            this.members = new Member[spec.size()];
        }

        Round round(long round) {
            return round <= horizon ? null : rounds.computeIfAbsent(round, r -> new Round());
        }

        void forgetOldRounds() {
            while (rounds.size() > RETAINED_ROUNDS && rounds.firstEntry().getValue().state == RoundState.DONE) {
                horizon = rounds.pollFirstEntry().getKey();
            }
            awaitingRead.keySet().removeIf(r -> r <= horizon); // a reader that never answered
        }
    }

    private final Settings settings;
    private final SigningKeys alertKey;
    /** The central system's line is fixed; the driver's outputs move with a resumed simulation ({@link NewDriver}). */
    private Links links;
    private final ActorRef<FrameDelivered> deliveries;
    private final ActorRef<AggregateRead> reads;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Member> members = new HashMap<>();
    private final Map<SystemTitle, String> senders = new HashMap<>();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final LinkedHashMap<Long, InFlight> inFlight = new LinkedHashMap<>();
    /** Confirmed deliveries that went out more than once: a late confirmation of another copy is expected. */
    private final LinkedHashMap<Long, Boolean> resentConfirmed = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > REMEMBERED_RESENDS;
        }
    };
    private final TimerScheduler<Object> timers;
    private long framesResent;
    private final FeederComparison comparison;
    private long nextDeliveryId;
    private boolean paused;
    /** Frames each tampering mode still touches; the settings' mode touches every frame. */
    private final EnumMap<Tampering, Long> tamperingLeft = new EnumMap<>(Tampering.class);
    private long framesReceived;
    private long framesForwarded;
    private long framesDelivered;
    private long framesRefused;
    private long framesToMeters;
    private long strayMessages;
    private long sharesReceived;
    private long lateShares;
    private long recoveryRequests;
    private long aggregatesPublished;
    private long aggregatesWithheld;
    private long intervalsHonest;
    private long intervalsSuspicious;
    private long intervalsInconclusive;
    private long alerts;
    /** Per bridge of a meters node: payloads received through it and sent to it, {received, sent}. */
    private final Map<ActorRef<MeterBridge.ToMeter>, long[]> bridgeTallies = new HashMap<>();

    private DataConcentrator(ActorContext<Object> context, TimerScheduler<Object> timers, Settings settings,
                             SigningKeys alertKey, List<AggregationGroup> groups, Links links) {
        super(context);
        this.timers = timers;
        this.settings = settings;
        if (settings.tampering() != Tampering.NONE) {
            tamperingLeft.put(settings.tampering(), Long.MAX_VALUE);
        }
        this.alertKey = alertKey;
        this.links = links;
        this.deliveries = context.getSelf().narrow();
        this.reads = context.getSelf().narrow();
        for (AggregationGroup g : groups) {
            this.groups.put(g.id(), new Group(g));
        }
        this.comparison = new FeederComparison(groups.size(), settings.technicalLosses(), settings.alertThreshold(),
                settings.alertAfter());
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
                .onMessage(Envelope.class, this::fromMeter)
                .onMessage(MeterBridge.FromMeter.class, this::fromBridge)
                .onMessage(FrameDelivered.class, this::delivered)
                .onMessage(ResendDue.class, r -> resendDue())
                .onMessage(FrameForMeter.class, this::toMeter)
                .onMessage(AggregateRead.class, this::aggregateRead)
                .onMessage(AttachMeter.class, a -> attach(a.meterId(), a.group(), a.meterIndex(), a.communications()::send))
                .onMessage(AttachBridgedMeter.class, a -> attach(a.meterId(), a.group(), a.meterIndex(), payload -> {
                    a.bridge().tell(new MeterBridge.ToMeter(a.meterId(), payload));
                    tally(a.bridge())[1]++;
                }))
                .onMessage(GetBridgeTally.class, g -> {
                    long[] t = bridgeTallies.getOrDefault(g.bridge(), new long[2]);
                    g.replyTo().tell(new BridgeTally(t[0], t[1]));
                    return this;
                })
                .onMessage(NewDriver.class, this::newDriver)
                .onMessage(CloseInterval.class, this::closeInterval)
                .onMessage(FeederReading.class, this::feederReading)
                .onMessage(GetStatistics.class, this::statistics)
                .onMessage(StartTampering.class, this::startTampering)
                .onAnyMessage(this::stray)
                .build();
    }

    // --- Wiring ---------------------------------------------------------------------------------

    private long[] tally(ActorRef<MeterBridge.ToMeter> bridge) {
        return bridgeTallies.computeIfAbsent(bridge, b -> new long[2]);
    }

    /** A simulation resumed after its meters node died: aggregates, alerts and intake notices go to its new driver. */
    private Behavior<Object> newDriver(NewDriver d) {
        links = new Links(links.centralSystem(), d.aggregates(), d.alerts(), d.intake());
        getContext().getLog().info("{}: a new driver took over the neighbourhood", settings.concentratorId());
        return this;
    }

    private Behavior<Object> attach(String meterId, String group, int meterIndex, Consumer<PolicyMessage> communications) {
        Group g = groups.get(group);
        Member earlier = members.get(meterId);
        if (earlier != null && earlier.group().equals(group) && earlier.index() == meterIndex) {
            // its meters node restarted: the meter is reached through the new one from now on
            getContext().getLog().info("{}: meter {} attached again", settings.concentratorId(), meterId);
            members.remove(meterId);
            g.members[meterIndex] = null;
        }
        if (g == null || meterIndex < 0 || meterIndex >= g.members.length || g.members[meterIndex] != null
                || members.containsKey(meterId)) {
            getContext().getLog().error("{}: cannot attach meter {} as member {} of group {}: unknown group, index out of "
                    + "range or already taken", settings.concentratorId(), meterId, meterIndex, group);
            return this;
        }
        Member m = new Member(meterId, group, meterIndex, communications);
        g.members[meterIndex] = m;
        members.put(meterId, m);
        senders.put(SystemTitle.ofMeter(meterId), meterId);
        return this;
    }

    // --- From the meters ------------------------------------------------------------------------

    private Behavior<Object> fromMeter(Envelope e) {
        // the meter's only external speaker is its Communications (P4)
        if (e.capability() == null || e.capability().sender() != Part.Communications) {
            return stray(e);
        }
        return payload(e.payload());
    }

    /** A payload from a meter on another node: its {@link MeterBridge} checked the envelope (P4). */
    private Behavior<Object> fromBridge(MeterBridge.FromMeter f) {
        tally(f.bridge())[0]++;
        return payload(f.payload());
    }

    private Behavior<Object> payload(Object payload) {
        if (payload instanceof FrameToCentralSystem f) {
            intake(f.bytes());
        } else if (payload instanceof SwitchReport r) {
            intake(r.bytes());
        } else if (payload instanceof AggregationShare s) {
            share(s);
        } else {
            stray(payload);
        }
        return this;
    }

    private void intake(byte[] frame) {
        framesReceived++;
        // routing only: the claim is checked by the central system's opener, never here
        String meterId = GcmFrameOpener.claimedSender(frame).map(senders::get).orElse("unknown");
        if (queue.size() >= settings.queueCapacity()) {
            framesRefused++;
            getContext().getLog().warn("{}: queue full ({} frames), refused a frame from meter {} ({} refused so far)",
                    settings.concentratorId(), queue.size(), meterId, framesRefused);
            links.intake().tell(new FrameRefused(settings.concentratorId(), meterId, framesRefused));
            return;
        }
        // tampering is decided here, in the order frames and turns arrive, and a frame gets one kind at most
        if (tampers(Tampering.EDIT)) {
            queue.addLast(new Pending(meterId, edited(frame)));
        } else {
            queue.addLast(new Pending(meterId, frame));
            if (queue.size() < settings.queueCapacity() && tampers(Tampering.REPLAY)) {
                queue.addLast(new Pending(meterId, frame.clone()));
            }
        }
        pump();
    }

    private Behavior<Object> delivered(FrameDelivered d) {
        InFlight confirmed = inFlight.remove(d.deliveryId());
        if (confirmed == null && resentConfirmed.containsKey(d.deliveryId())) {
            return this; // the other copy of a resent delivery: already counted
        }
        if (confirmed == null) {
            getContext().getLog().warn("{}: confirmation of unknown delivery {}", settings.concentratorId(), d.deliveryId());
            strayMessages++;
            return this;
        }
        framesDelivered++;
        if (confirmed.copies > 1) {
            resentConfirmed.put(d.deliveryId(), Boolean.TRUE);
        }
        pump();
        return this;
    }

    /**
     * Resends every delivery whose time has come, with the same deliveryId and bytes, and doubles its wait.
     * Pekko delivers at most once: a frame to a central node that died, or its confirmation, may be lost, and
     * only the sender knows. The account confirms a copy it already persisted without taking it twice.
     */
    private Behavior<Object> resendDue() {
        long now = System.nanoTime();
        for (Map.Entry<Long, InFlight> e : inFlight.entrySet()) {
            InFlight f = e.getValue();
            if (f.resendAtNanos - now <= 0) {
                framesResent++;
                f.copies++;
                Duration doubled = f.backoff.multipliedBy(2);
                f.backoff = doubled.compareTo(MAX_RESEND_DELAY) > 0 ? MAX_RESEND_DELAY : doubled;
                f.resendAtNanos = now + f.backoff.toNanos();
                getContext().getLog().warn("{}: delivery {} for meter {} unconfirmed, sent again (next wait {})",
                        settings.concentratorId(), e.getKey(), f.meterId, f.backoff);
                links.centralSystem().tell(new DeliverFrame(e.getKey(), f.meterId, f.sent, deliveries));
            }
        }
        scheduleResend(now);
        return this;
    }

    /** One timer for the whole window, set to the earliest resend due. */
    private void scheduleResend(long now) {
        if (inFlight.isEmpty()) {
            timers.cancel(ResendDue.INSTANCE);
            return;
        }
        long earliest = Long.MAX_VALUE;
        for (InFlight f : inFlight.values()) {
            earliest = Math.min(earliest, f.resendAtNanos - now);
        }
        timers.startSingleTimer(ResendDue.INSTANCE, ResendDue.INSTANCE, Duration.ofNanos(Math.max(0, earliest)));
    }

    private void pump() {
        boolean wasIdle = inFlight.isEmpty();
        while (inFlight.size() < settings.window() && !queue.isEmpty()) {
            Pending p = queue.pollFirst();
            long id = ++nextDeliveryId;
            byte[] sent = p.frame();
            inFlight.put(id, new InFlight(p.meterId(), sent, System.nanoTime() + settings.resendAfter().toNanos(),
                    settings.resendAfter()));
            framesForwarded++;
            links.centralSystem().tell(new DeliverFrame(id, p.meterId(), sent, deliveries));
        }
        if (wasIdle && !inFlight.isEmpty()) {
            scheduleResend(System.nanoTime()); // a busy window keeps the timer it has: it fires for the oldest first
        } else if (inFlight.isEmpty()) {
            timers.cancel(ResendDue.INSTANCE);
        }
        if (!paused && queue.size() >= settings.highWater()) {
            paused = true;
            getContext().getLog().info("{}: {} frames queued, intake paused", settings.concentratorId(), queue.size());
            links.intake().tell(new IntakePaused(settings.concentratorId(), queue.size()));
        } else if (paused && queue.size() <= settings.lowWater()) {
            paused = false;
            getContext().getLog().info("{}: {} frames queued, intake resumed", settings.concentratorId(), queue.size());
            links.intake().tell(new IntakeResumed(settings.concentratorId(), queue.size()));
        }
    }

    private Behavior<Object> startTampering(StartTampering t) {
        if (t.mode() == Tampering.NONE) {
            tamperingLeft.clear();
            getContext().getLog().warn("{}: tampering stopped", settings.concentratorId());
            return this;
        }
        long left = tamperingLeft.merge(t.mode(), (long) t.frames(), (a, b) -> a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b);
        getContext().getLog().warn("{}: tampering {} with the next {} frames", settings.concentratorId(), t.mode(), left);
        return this;
    }

    /** Whether this frame is one to tamper with in {@code mode}, counting it. */
    private boolean tampers(Tampering mode) {
        long left = tamperingLeft.getOrDefault(mode, 0L);
        if (left <= 0) {
            return false;
        }
        if (left != Long.MAX_VALUE) {
            tamperingLeft.put(mode, left - 1);
        }
        return true;
    }

    private static byte[] edited(byte[] frame) {
        byte[] edited = frame.clone();
        edited[edited.length - 1] ^= 0x01; // past the header, so only authentication can tell
        return edited;
    }

    // --- From the central system ----------------------------------------------------------------

    private Behavior<Object> toMeter(FrameForMeter f) {
        Member m = members.get(f.meterId());
        if (m == null) {
            getContext().getLog().warn("{}: frame for meter {}, which is not attached here", settings.concentratorId(), f.meterId());
            strayMessages++;
            return this;
        }
        m.communications().accept(switch (f.module()) {
            case CS_SECURITY -> new FrameFromCentralSystem(f.frame());
            case OFF_SWITCH_SECURITY -> new SwitchCommandFrame(f.frame());
        });
        framesToMeters++;
        return this;
    }

    // --- Aggregation ----------------------------------------------------------------------------

    private void share(AggregationShare s) {
        sharesReceived++;
        Member m = members.get(s.meterId());
        if (m == null || m.index() != s.meterIndex() || s.share() == null) {
            stray(s);
            return;
        }
        Group g = groups.get(m.group());
        long round = s.share().round();
        Round r = g.round(round);
        int i = m.index();
        if (r == null || r.state == RoundState.DONE || (!s.recovery() && r.missing.contains(i))) {
            lateShares++; // once recovery was asked, a missing meter's late share would break the sum
            return;
        }
        if (!s.recovery()) {
            if (r.shares.putIfAbsent(i, s.share()) != null) {
                stray(s);
            } else if (r.state == RoundState.OPEN && r.shares.size() == g.spec.size()) {
                finish(g, round, r);
            }
            return;
        }
        if (r.state != RoundState.RECOVERING || !r.shares.containsKey(i) || r.recovery.putIfAbsent(i, s.share()) != null) {
            stray(s);
        } else if (r.recovery.size() == r.shares.size()) {
            finish(g, round, r);
        }
    }

    private Behavior<Object> closeInterval(CloseInterval c) {
        for (Group g : groups.values()) {
            Round r = g.round(c.round());
            if (r == null || r.state != RoundState.OPEN) {
                continue;
            }
            int present = r.shares.size();
            if (present < settings.minimumGroupSize()) {
                withhold(g, c.round(), r, present, "only " + present + " of " + g.spec.size()
                        + " meters sent a share, fewer than the minimum group size " + settings.minimumGroupSize() + " (P14)");
                continue;
            }
            Set<Integer> missing = new HashSet<>();
            for (int i = 0; i < g.spec.size(); i++) {
                if (!r.shares.containsKey(i)) {
                    missing.add(i);
                }
            }
            r.state = RoundState.RECOVERING;
            r.missing = Set.copyOf(missing);
            AggregationRound ask = new AggregationRound(c.round(), r.missing);
            for (int i : r.shares.keySet()) {
                g.members[i].communications().accept(ask);
            }
            recoveryRequests++;
        }
        return this;
    }

    private void finish(Group g, long round, Round r) {
        List<Share> all = new ArrayList<>(r.shares.values());
        all.addAll(r.recovery.values());
        int contributors = r.shares.size();
        boolean complete = r.missing.isEmpty();
        Share combined;
        try {
            combined = g.spec.combine(all);
        } catch (IllegalArgumentException e) {
            withhold(g, round, r, contributors, "the shares do not combine: " + e.getMessage());
            return;
        }
        done(g, r);
        aggregatesPublished++;
        String id = settings.concentratorId();
        if (g.spec.reader().isPresent()) {
            long total = g.spec.reader().get().total(combined);
            links.aggregates().tell(new AggregateReading(id, g.spec.id(), round, contributors, g.spec.size(), total));
            judge(comparison.groupTotal(round, g.spec.id(), total, complete));
        } else {
            g.awaitingRead.put(round, complete);
            links.aggregates().tell(new CombinedShare(id, g.spec.id(), round, contributors, g.spec.size(),
                    ((Share.Encrypted) combined).ciphertext(), reads));
        }
    }

    private void withhold(Group g, long round, Round r, int contributors, String reason) {
        done(g, r);
        aggregatesWithheld++;
        getContext().getLog().info("{}: no aggregate for group {} round {}: {}", settings.concentratorId(), g.spec.id(), round, reason);
        links.aggregates().tell(new AggregateWithheld(settings.concentratorId(), g.spec.id(), round, contributors, reason));
        judge(comparison.groupWithheld(round, g.spec.id()));
    }

    private void done(Group g, Round r) {
        r.state = RoundState.DONE;
        r.shares = Map.of();
        r.recovery = Map.of();
        g.forgetOldRounds();
    }

    private Behavior<Object> aggregateRead(AggregateRead a) {
        Group g = groups.get(a.group());
        Boolean complete = g == null ? null : g.awaitingRead.remove(a.round());
        if (complete == null) {
            return stray(a);
        }
        judge(comparison.groupTotal(a.round(), a.group(), a.totalWh(), complete));
        return this;
    }

    // --- Fraud detection ------------------------------------------------------------------------

    private Behavior<Object> feederReading(FeederReading f) {
        judge(comparison.feeder(f.round(), f.energyWh()));
        return this;
    }

    private void judge(List<FeederComparison.Verdict> verdicts) {
        for (FeederComparison.Verdict v : verdicts) {
            switch (v.outcome()) {
                case HONEST -> intervalsHonest++;
                case SUSPICIOUS -> intervalsSuspicious++;
                case INCONCLUSIVE -> intervalsInconclusive++;
            }
            v.alert().ifPresent(this::alert);
        }
    }

    private void alert(FeederComparison.Streak s) {
        alerts++;
        SignedFraudAlert alert = SignedFraudAlert.sign(alertKey, settings.concentratorId(), s.fromRound(), s.toRound(),
                s.feederWh(), s.aggregateWh(), Math.round(settings.technicalLosses() * 1_000_000));
        getContext().getLog().warn("{}: energy unaccounted for: {}", settings.concentratorId(), alert);
        links.alerts().tell(new FraudAlert(settings.concentratorId(), alert.encode()));
    }

    // --- Housekeeping ---------------------------------------------------------------------------

    private Behavior<Object> statistics(GetStatistics g) {
        g.replyTo().tell(new Statistics(framesReceived, framesForwarded, framesDelivered, framesRefused, queue.size(),
                inFlight.size(), paused, framesToMeters, strayMessages, sharesReceived, lateShares, recoveryRequests,
                aggregatesPublished, aggregatesWithheld, intervalsHonest, intervalsSuspicious, intervalsInconclusive, alerts,
                framesResent));
        return this;
    }

    private Behavior<Object> stray(Object m) {
        strayMessages++;
        getContext().getLog().warn("{}: ignored {}", settings.concentratorId(), m);
        return this;
    }
}
