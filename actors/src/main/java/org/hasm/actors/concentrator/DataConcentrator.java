package org.hasm.actors.concentrator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
import org.hasm.actors.link.CentralSystemLink.DeliverFrame;
import org.hasm.actors.link.CentralSystemLink.FrameDelivered;
import org.hasm.actors.link.CentralSystemLink.FrameForMeter;
import org.hasm.actors.link.CentralSystemLink.FraudAlert;
import org.hasm.actors.crypto.GcmFrameOpener;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.meter.MeterSignals.AggregationShare;
import org.hasm.actors.meter.MeterSignals.FrameFromCentralSystem;
import org.hasm.actors.meter.MeterSignals.FrameToCentralSystem;
import org.hasm.actors.meter.MeterSignals.SwitchCommandFrame;
import org.hasm.actors.meter.MeterSignals.SwitchReport;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.Envelope;
import org.hasm.policy.kernel.PolicyMessage;
import org.slf4j.Logger;

/**
 * The data concentrator of one neighbourhood ({@code Part.DataConcentrator} in the meters' policy).
 *
 * <ul>
 *   <li><b>Store and forward</b> ({@link StoreAndForward}): the meters' sealed frames for the central system (CS
 *       frames and switch reports) go out in arrival order, at most {@code window} unconfirmed
 *       ({@link CentralSystemLink}); the rest wait in a queue of at most {@code queueCapacity}. Past
 *       {@code highWater} queued frames the intake listener is told to pause, below {@code lowWater} to resume; a
 *       frame that finds the queue full is refused out loud (counted, logged, {@link FrameRefused}), never dropped
 *       silently. Frames from the central system go to the addressed meter's Communications ({@link MeterRoster}).</li>
 *   <li><b>Aggregation</b> (P14, {@link AggregationRounds}): per group and round it folds the meters' shares; a
 *       round the driver closes with meters missing gets recovery shares from the present ones. It publishes
 *       nothing over fewer than {@code minimumGroupSize} meters, and asks no recovery then either (a recovery over
 *       one present meter would be that meter's reading).</li>
 *   <li><b>Fraud detection</b> ({@link FraudWatch}): the {@link FeederMeter}'s energy against the sum of the
 *       aggregates ({@link FeederComparison}); a persistent gap becomes a signed alert to the central system.</li>
 * </ul>
 *
 * <p>This actor holds those pieces and only routes each message to the one that handles it; they share its
 * thread, its logger and its links, which move with a resumed simulation ({@link NewDriver}).
 *
 * <p>It takes several message types, so it is spawned as {@code ActorRef<Object>} and each party is handed
 * its side with {@code narrow()}: the meters {@code ActorRef<Envelope>} (meters on another node reach it
 * through their node's {@link MeterBridge}, {@code FromMeter}), the central system
 * {@code ActorRef<FrameDelivered>}, {@code ActorRef<FrameForMeter>} and {@code ActorRef<AggregateRead>}, the
 * feeder {@code ActorRef<FeederReading>}, the driver {@code ActorRef<Command>}.
 *
 * <p>A {@link Tampering} concentrator (a scenario, {@link FrameTampering}) edits or replays the frames it
 * forwards; the central system's openers refuse both.
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
     * The statistics once the concentrator holds no frame: none queued, none unconfirmed by the central system
     * (at once if that is so now). How a driver waits for the concentrator without asking again and again.
     */
    public record GetStatisticsWhenDrained(ActorRef<Statistics> replyTo) implements Command, WireMessage {
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

    /** The longest wait between two resends of one delivery. */
    public static final Duration MAX_RESEND_DELAY = StoreAndForward.MAX_RESEND_DELAY;

    /** The timer's tick: some unconfirmed delivery may be due for a resend. */
    private enum ResendDue { INSTANCE }

    private final Settings settings;
    /** The central system's line is fixed; the driver's outputs move with a resumed simulation ({@link NewDriver}). */
    private Links links;
    private final MeterRoster roster;
    private final StoreAndForward forwarding;
    private final FrameTampering tampering;
    private final AggregationRounds aggregation;
    private final FraudWatch fraud;
    private final BridgeTallies bridgeTallies = new BridgeTallies();
    private long framesReceived;
    private long framesToMeters;
    private long strayMessages;
    /** Who asked for the statistics once nothing is queued or unconfirmed ({@link GetStatisticsWhenDrained}). */
    private final List<ActorRef<Statistics>> drainWaiters = new ArrayList<>();

    private DataConcentrator(ActorContext<Object> context, TimerScheduler<Object> timers, Settings settings,
                             SigningKeys alertKey, List<AggregationGroup> groups, Links links) {
        super(context);
        this.settings = settings;
        this.links = links;
        Supplier<Logger> log = this::log;
        ActorRef<FrameDelivered> deliveries = context.getSelf().narrow();
        this.roster = new MeterRoster(settings.concentratorId(), groups, log);
        this.forwarding = new StoreAndForward(settings, new StoreAndForward.Outlet() {
            @Override
            public void deliver(long deliveryId, String meterId, byte[] frame) {
                DataConcentrator.this.links.centralSystem().tell(new DeliverFrame(deliveryId, meterId, frame, deliveries));
            }

            @Override
            public void notice(IntakeNotice notice) {
                DataConcentrator.this.links.intake().tell(notice);
            }

            @Override
            public void resendIn(Duration wait) {
                timers.startSingleTimer(ResendDue.INSTANCE, ResendDue.INSTANCE, wait);
            }

            @Override
            public void noResend() {
                timers.cancel(ResendDue.INSTANCE);
            }
        }, System::nanoTime, log);
        this.tampering = new FrameTampering(settings.concentratorId(), settings.tampering(), log);
        this.fraud = new FraudWatch(settings, groups.size(), alertKey, a -> this.links.alerts().tell(a), log);
        this.aggregation = new AggregationRounds(settings.concentratorId(), settings.minimumGroupSize(), groups, roster,
                a -> this.links.aggregates().tell(a), context.getSelf().narrow(), fraud, this::stray, log);
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
                .onMessage(Envelope.class, this::fromMeter)
                .onMessage(MeterBridge.FromMeter.class, this::fromBridge)
                .onMessage(FrameDelivered.class, this::delivered)
                .onMessage(ResendDue.class, r -> {
                    forwarding.resendDue();
                    return this;
                })
                .onMessage(FrameForMeter.class, this::toMeter)
                .onMessage(AggregateRead.class, a -> {
                    aggregation.aggregateRead(a);
                    return this;
                })
                .onMessage(AttachMeter.class, a -> attach(a.meterId(), a.group(), a.meterIndex(), a.communications()::send))
                .onMessage(AttachBridgedMeter.class, a -> attach(a.meterId(), a.group(), a.meterIndex(), payload -> {
                    a.bridge().tell(new MeterBridge.ToMeter(a.meterId(), payload));
                    bridgeTallies.sent(a.bridge());
                }))
                .onMessage(GetBridgeTally.class, g -> {
                    g.replyTo().tell(bridgeTallies.of(g.bridge()));
                    return this;
                })
                .onMessage(NewDriver.class, this::newDriver)
                .onMessage(CloseInterval.class, c -> {
                    aggregation.closeInterval(c.round());
                    return this;
                })
                .onMessage(FeederReading.class, f -> {
                    fraud.feeder(f.round(), f.energyWh());
                    return this;
                })
                .onMessage(GetStatistics.class, this::statistics)
                .onMessage(GetStatisticsWhenDrained.class, g -> {
                    drainWaiters.add(g.replyTo());
                    return answerIfDrained();
                })
                .onMessage(StartTampering.class, t -> {
                    tampering.start(t);
                    return this;
                })
                .onAnyMessage(this::stray)
                .build();
    }

    // --- Wiring ---------------------------------------------------------------------------------

    /** A simulation resumed after its meters node died: aggregates, alerts and intake notices go to its new driver. */
    private Behavior<Object> newDriver(NewDriver d) {
        links = new Links(links.centralSystem(), d.aggregates(), d.alerts(), d.intake());
        getContext().getLog().info("{}: a new driver took over the neighbourhood", settings.concentratorId());
        return this;
    }

    private Behavior<Object> attach(String meterId, String group, int meterIndex, Consumer<PolicyMessage> communications) {
        roster.attach(meterId, group, meterIndex, communications);
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
        bridgeTallies.received(f.bridge());
        return payload(f.payload());
    }

    private Behavior<Object> payload(Object payload) {
        if (payload instanceof FrameToCentralSystem f) {
            intake(f.bytes());
        } else if (payload instanceof SwitchReport r) {
            intake(r.bytes());
        } else if (payload instanceof AggregationShare s) {
            aggregation.share(s);
        } else {
            stray(payload);
        }
        return this;
    }

    private void intake(byte[] frame) {
        framesReceived++;
        // routing only: the claim is checked by the central system's opener, never here
        String meterId = GcmFrameOpener.claimedSender(frame).flatMap(roster::meterOf).orElse("unknown");
        if (forwarding.isFull()) {
            forwarding.refuse(meterId);
            return;
        }
        tampering.admit(frame, f -> forwarding.enqueue(meterId, f), forwarding::hasRoom);
        forwarding.pump();
    }

    private Behavior<Object> delivered(FrameDelivered d) {
        if (!forwarding.confirm(d.deliveryId())) {
            strayMessages++;
        }
        return answerIfDrained();
    }

    /** Only a confirmation empties the window and lets the queue move, so only then can it become drained. */
    private Behavior<Object> answerIfDrained() {
        if (!drainWaiters.isEmpty() && forwarding.queued() == 0 && forwarding.inFlight() == 0) {
            drainWaiters.forEach(w -> statistics(new GetStatistics(w)));
            drainWaiters.clear();
        }
        return this;
    }

    // --- From the central system ----------------------------------------------------------------

    private Behavior<Object> toMeter(FrameForMeter f) {
        MeterRoster.Member m = roster.member(f.meterId());
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

    // --- Housekeeping ---------------------------------------------------------------------------

    private Behavior<Object> statistics(GetStatistics g) {
        g.replyTo().tell(new Statistics(framesReceived, forwarding.framesForwarded(), forwarding.framesDelivered(),
                forwarding.framesRefused(), forwarding.queued(), forwarding.inFlight(), forwarding.intakePaused(),
                framesToMeters, strayMessages, aggregation.sharesReceived(), aggregation.lateShares(),
                aggregation.recoveryRequests(), aggregation.aggregatesPublished(), aggregation.aggregatesWithheld(),
                fraud.intervalsHonest(), fraud.intervalsSuspicious(), fraud.intervalsInconclusive(), fraud.alerts(),
                forwarding.framesResent()));
        return this;
    }

    /**
     * The pieces' way to the actor's logger, asked for at each line as the actor itself does. Pekko names the
     * logger after the class that asks for it first, so they ask through this method: their lines, and the
     * first ask, stay the actor's.
     */
    private Logger log() {
        return getContext().getLog();
    }

    private Behavior<Object> stray(Object m) {
        strayMessages++;
        getContext().getLog().warn("{}: ignored {}", settings.concentratorId(), m);
        return this;
    }
}
