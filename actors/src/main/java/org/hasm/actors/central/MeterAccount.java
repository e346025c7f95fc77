package org.hasm.actors.central;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityContext;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.hasm.actors.link.CentralSystemLink.FrameForMeter;
import org.hasm.actors.link.SecurityModule;
import org.hasm.actors.link.WireMessage;
import org.hasm.actors.link.CentralSystemLink.FrameDelivered;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.crypto.FrameKind;
import org.hasm.actors.crypto.Opened;
import org.hasm.actors.crypto.SignedLogAnchor;
import org.hasm.actors.meter.OffSwitchLogEntry.CommandResult;
import org.hasm.actors.meter.Tariff;
import org.hasm.persistence.ChainVerifier;
import org.hasm.persistence.JournalSerializable;
import org.hasm.persistence.jdbc.JournalStore;

/**
 * The central system's account of one meter (DESIGN 8), a cluster-sharded entity ({@link #TYPE_KEY}, entity
 * id = meter id) on its own journal {@code hasm.journal.central-accounts}. It opens every frame the meter
 * sends, whichever module sealed it, and keeps readings, daily bills under the time-of-use tariff in force,
 * prepaid state, top-up tokens, signed commands and their acknowledgements, and the meter's log anchors.
 *
 * <p>Anchors are folded in here rather than kept by a ledger of their own: CsSecurity's readings and anchors
 * share one frame counter, and the opener refuses any counter not above the last one, so the one actor
 * that opens readings must open anchors too.
 *
 * <p>No key material is in its events: the keys come from the registry when the entity starts, and
 * {@link ProvisionedMeter#resumeAfter} moves their counters past what the journal holds.
 */
public final class MeterAccount extends EventSourcedBehavior<MeterAccount.Command, MeterAccount.Event, MeterAccount.State> {
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "MeterAccount");
    /** Its journal; with a {@link JournalStore} on table {@code central_accounts_journal}. */
    public static final String JOURNAL = "hasm.journal." + JournalStore.CENTRAL_ACCOUNTS;
    public static final String SNAPSHOTS = "hasm.snapshot." + JournalStore.CENTRAL_ACCOUNTS;
    private static final long DAY_MS = 86_400_000L;

    // ---- protocol ----

    public interface Command extends WireMessage {
    }

    /** A frame the concentrator relays; answered with {@link FrameDelivered} once its outcome is persisted. */
    public record FromConcentrator(long deliveryId, byte[] frame, ActorRef<FrameDelivered> replyTo) implements Command {
    }

    /** An ordinary command (not a switch command) signed with the fleet command key, for CsSecurity. */
    public record IssueCommand(CommandKind kind, String payload, long now, ActorRef<Issued> replyTo) implements Command {
    }

    /** A switch command signed with this meter's off-switch key; {@code requestId} names the operator request. */
    public record IssueSwitch(boolean on, long now, String requestId, ActorRef<Issued> replyTo) implements Command {
    }

    public record IssueTopUp(long amountCents, long now, ActorRef<TopUpIssued> replyTo) implements Command {
    }

    public record GetAccount(ActorRef<AccountView> replyTo) implements Command {
    }

    /** The verified anchors of one segment, by sequence number. */
    public record GetAnchors(String segment, ActorRef<Anchors> replyTo) implements Command {
    }

    /** The answer to {@link GetAnchors}: a record, not a bare List, so it has a wire binding (docs/cluster.md). */
    public record Anchors(String segment, List<ChainVerifier.Anchor> anchors) implements WireMessage {
    }

    /** Asks the shard to stop this entity; the next message starts it again from its journal. */
    public record Passivate() implements Command {
    }

    /** A command issued ({@code refusal} null) or refused for bad input ({@code refusal} says why). */
    public record Issued(String meterId, CommandKind kind, long sequence, String refusal) implements WireMessage {
    }

    public record TopUpIssued(String meterId, long tokenId, long amountCents, byte[] token, String refusal)
            implements WireMessage {
    }

    public record DailyBill(long epochDay, long importWh, long exportWh, long costMilliCents, int readings)
            implements WireMessage {
    }

    /**
     * The account as the back office sees it. {@code refusals} counts refused frames per cause (the
     * {@link Opened.Reason} names, BAD_TAG being a tampered frame, plus MALFORMED_READING and BAD_ANCHOR);
     * {@code eventsReplayed} is how many events this incarnation recovered from the journal.
     */
    public record AccountView(String meterId, long readings, long lastReadingFrame, List<DailyBill> bills, DailyBill openDay,
                              boolean prepaid, long creditMilliCents, long topUpTokens, long commands, long switchCommands,
                              Map<Long, String> switchAcknowledgements, long acknowledgementsSent, long anchors,
                              Map<String, Long> refusals, long eventsReplayed, long lastReadingEnd) implements WireMessage {
    }

    // ---- events ----

    public sealed interface Event extends JournalSerializable {
    }

    /** Which module of the meter sealed a frame: each has its own key and counter. */

    /**
     * One reading: electricity (Wh, billed), gas (litres in {@code importWh}) or generation (Wh in
     * {@code exportWh}); {@code costMilliCents} under the tariff in force at the interval's start.
     */
    public record ReadingReceived(long frame, String commodity, long intervalStart, long intervalEnd, long importWh,
                                  long exportWh, long costMilliCents) implements Event {
    }

    /** The ACKNOWLEDGEMENT frame (its counter) that lets the meter release readings up to {@code readingsUntil}. */
    public record AcknowledgementSent(long frame, long readingsUntil) implements Event {
    }

    public record DailyBillIssued(DailyBill bill) implements Event {
    }

    public record AnchorRecorded(SecurityModule channel, long frame, String segment, long seq, long time, byte[] head) implements Event {
    }

    /** OffSwitchSecurity's result of switch command {@code sequence}. */
    public record SwitchAcknowledged(long frame, long sequence, String outcome, String text) implements Event {
    }

    /** Any other authentic report (events, alarms). */
    public record MeterReport(SecurityModule channel, long frame, FrameKind kind, String text) implements Event {
    }

    /** A refused frame; {@code frame} is its counter if it was authentic and fresh (its content was bad), else 0. */
    public record FrameRefused(SecurityModule channel, long frame, String cause, int bytes) implements Event {
    }

    public record CommandIssued(long sequence, CommandKind kind, String payload, long issuedAt, long frame) implements Event {
    }

    public record SwitchCommandIssued(long sequence, boolean on, long issuedAt, String requestId) implements Event {
    }

    public record TopUpTokenIssued(long tokenId, long amountCents, long issuedAt) implements Event {
    }

    // ---- state ----

    /** Mutable, owned by the entity; the outside sees {@link AccountView}s. */
    public static final class State {
        final TreeMap<Long, Tariff> tariffs = new TreeMap<>();
        final List<DailyBill> bills = new ArrayList<>();
        final Map<String, List<ChainVerifier.Anchor>> anchors = new HashMap<>();
        final Map<String, Long> refusals = new TreeMap<>();
        final Map<Long, Boolean> switchIssued = new HashMap<>();
        final Map<Long, String> switchAcknowledged = new TreeMap<>();
        long readings;
        long lastReadingFrame;
        long lastReadingEnd;
        long openDay = -1;
        long dayImport;
        long dayExport;
        long dayCost;
        int dayReadings;
        boolean prepaid;
        long creditMilliCents;
        long acknowledgements;
        long anchorCount;
        long commands;
        // what ProvisionedMeter must resume after
        long framesToMeter;
        long framesFromMeter;
        long switchReports;
        long commandSequence;
        long switchSequence;
        long tokenId;

        Tariff tariffAt(long epochMillis) {
            Map.Entry<Long, Tariff> e = tariffs.floorEntry(epochMillis);
            return e != null ? e.getValue() : tariffs.firstEntry().getValue();
        }

        ProvisionedMeter.Counters counters() {
            return new ProvisionedMeter.Counters(framesToMeter, framesFromMeter, switchReports, commandSequence, switchSequence, tokenId);
        }

        void opened(SecurityModule channel, long frame) {
            if (channel == SecurityModule.CS_SECURITY) {
                framesFromMeter = Math.max(framesFromMeter, frame);
            } else {
                switchReports = Math.max(switchReports, frame);
            }
        }
    }

    // ---- behaviour ----

    private final ProvisionedMeter meter;
    private final Tariff initialTariff;
    private final ActorRef<FrameForMeter> downlink;
    private final int acknowledgeEvery;
    private final ActorContext<Command> context;
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private boolean recovering = true;
    private long eventsReplayed;
    /** The last deliveries this incarnation persisted, so that a resent one is confirmed again, not taken twice. */
    private final DeliveryMemory persistedDeliveries = new DeliveryMemory(REMEMBERED_DELIVERIES);
    /** More than a concentrator's window (64 by default), so every resendable delivery is still known. */
    private static final int REMEMBERED_DELIVERIES = 256;

    private MeterAccount(ProvisionedMeter meter, Tariff initialTariff, int acknowledgeEvery, ActorRef<FrameForMeter> downlink,
                         ActorContext<Command> context, ActorRef<ClusterSharding.ShardCommand> shard) {
        super(PersistenceId.of(TYPE_KEY.name(), meter.meterId(), "|"));
        this.meter = meter;
        this.initialTariff = initialTariff;
        this.downlink = downlink;
        this.acknowledgeEvery = acknowledgeEvery;
        this.context = context;
        this.shard = shard;
    }

    /**
     * The entity for sharding's {@code Entity.of(TYPE_KEY, ...)}. A meter the registry does not know (it
     * returns null) gets an account that refuses every frame without a journal, so garbage ids cost nothing.
     */
    public static Behavior<Command> create(EntityContext<Command> entity, Function<String, ProvisionedMeter> registry,
                                           Tariff initialTariff, int acknowledgeEvery, ActorRef<FrameForMeter> downlink) {
        return Behaviors.setup(context -> {
            ProvisionedMeter meter = registry.apply(entity.getEntityId());
            if (meter == null) {
                return unprovisioned(entity.getEntityId());
            }
            return new MeterAccount(meter, initialTariff, acknowledgeEvery, downlink, context, entity.getShard());
        });
    }

    private static Behavior<Command> unprovisioned(String meterId) {
        String why = "meter '" + meterId + "' is not provisioned";
        return Behaviors.setup(context -> Behaviors.receive(Command.class)
                .onMessage(FromConcentrator.class, f -> {
                    context.getLog().warn("frame for {} refused: {}", meterId, why);
                    f.replyTo().tell(new FrameDelivered(f.deliveryId()));
                    return Behaviors.same();
                })
                .onMessage(IssueCommand.class, c -> {
                    c.replyTo().tell(new Issued(meterId, c.kind(), 0, why));
                    return Behaviors.same();
                })
                .onMessage(IssueSwitch.class, c -> {
                    context.getLog().warn("switch command refused: {}", why);
                    if (c.replyTo() != null) {
                        c.replyTo().tell(new Issued(meterId, c.on() ? CommandKind.SWITCH_ON : CommandKind.SWITCH_OFF, 0, why));
                    }
                    return Behaviors.same();
                })
                .onMessage(IssueTopUp.class, c -> {
                    c.replyTo().tell(new TopUpIssued(meterId, 0, c.amountCents(), new byte[0], why));
                    return Behaviors.same();
                })
                .onMessage(Passivate.class, p -> Behaviors.stopped())
                .build());
    }

    @Override
    public String journalPluginId() {
        return JOURNAL;
    }

    @Override
    public String snapshotPluginId() {
        return SNAPSHOTS;
    }

    @Override
    public State emptyState() {
        State s = new State();
        s.tariffs.put(Long.MIN_VALUE, initialTariff);
        return s;
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
            recovering = false;
            meter.resumeAfter(state.counters());
        }).build();
    }

    @Override
    public CommandHandler<Command, Event, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(FromConcentrator.class, this::frame)
                .onCommand(IssueCommand.class, this::issueCommand)
                .onCommand(IssueSwitch.class, this::issueSwitch)
                .onCommand(IssueTopUp.class, this::issueTopUp)
                .onCommand(GetAccount.class, (state, q) -> Effect().reply(q.replyTo(), view(state)))
                .onCommand(GetAnchors.class, (state, q) -> Effect().reply(q.replyTo(), new Anchors(q.segment(),
                        List.copyOf(state.anchors.getOrDefault(q.segment(), List.of())))))
                .onCommand(Passivate.class, p -> {
                    shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
                    return Effect().none();
                })
                .build();
    }

    /**
     * Opens a frame with CsSecurity's key, and a frame that fails there with OffSwitchSecurity's report key:
     * the frame does not say which module sealed it, and a tag that fails under the wrong key moves no counter.
     */
    private Effect<Event, State> frame(State state, FromConcentrator f) {
        byte[] digest = persistedDeliveries.digest(f.frame());
        if (persistedDeliveries.persisted(f.deliveryId(), digest)) {
            context.getLog().debug("meter {}: delivery {} again, already persisted: confirmed again", meter.meterId(),
                    f.deliveryId());
            return Effect().reply(f.replyTo(), new FrameDelivered(f.deliveryId()));
        }
        SecurityModule channel = SecurityModule.CS_SECURITY;
        Opened opened = meter.openFromMeter(f.frame());
        if (opened instanceof Opened.Refused r && r.reason() == Opened.Reason.BAD_TAG) {
            Opened report = meter.openSwitchReport(f.frame());
            if (!(report instanceof Opened.Refused rr && rr.reason() == Opened.Reason.BAD_TAG)) {
                opened = report;
                channel = SecurityModule.OFF_SWITCH_SECURITY;
            }
        }
        List<Event> events = new ArrayList<>();
        byte[] ack = null;
        if (opened instanceof Opened.Refused r) {
            events.add(refused(channel, 0, r.reason().name(), f.frame()));
        } else {
            Opened.Ok ok = (Opened.Ok) opened;
            String text = new String(ok.plaintext(), StandardCharsets.UTF_8);
            if (ok.kind() == FrameKind.LOG_ANCHOR) {
                events.add(anchor(channel, ok, f.frame()));
            } else if (ok.kind() == FrameKind.READINGS && channel == SecurityModule.CS_SECURITY) {
                Optional<ReadingReceived> reading = reading(state, ok.counter(), text);
                if (reading.isEmpty()) {
                    events.add(refused(channel, ok.counter(), "MALFORMED_READING", f.frame()));
                } else {
                    ReadingReceived r = reading.get();
                    long day = Math.floorDiv(r.intervalStart(), DAY_MS);
                    boolean openDayBilled = !state.bills.isEmpty() && state.bills.get(state.bills.size() - 1).epochDay() == state.openDay;
                    if (r.commodity().equals("electricity") && state.openDay >= 0 && day > state.openDay && !openDayBilled) {
                        // the last reading of that day never came: bill what did
                        events.add(new DailyBillIssued(new DailyBill(state.openDay, state.dayImport, state.dayExport,
                                state.dayCost, state.dayReadings)));
                    }
                    events.add(r);
                    if (r.commodity().equals("electricity") && Math.floorMod(r.intervalEnd(), DAY_MS) == 0) {
                        // the day's last reading closes the day: the bill goes out now, not with the next day's first reading
                        boolean sameDay = day == state.openDay;
                        events.add(new DailyBillIssued(new DailyBill(day, (sameDay ? state.dayImport : 0) + r.importWh(),
                                (sameDay ? state.dayExport : 0) + r.exportWh(), (sameDay ? state.dayCost : 0) + r.costMilliCents(),
                                (sameDay ? state.dayReadings : 0) + 1)));
                    }
                    if (r.commodity().equals("electricity") && (state.readings + 1) % acknowledgeEvery == 0) {
                        ack = meter.acknowledgement(r.intervalEnd());
                        events.add(new AcknowledgementSent(meter.counters().framesToMeter(), r.intervalEnd()));
                    }
                }
            } else if (ok.kind() == FrameKind.COMMAND_RESULT && channel == SecurityModule.OFF_SWITCH_SECURITY) {
                Optional<Event> acknowledged = CommandResult.parse(text).flatMap(r -> r.switchCommand()
                        .<Event>map(c -> new SwitchAcknowledged(ok.counter(), c.sequence(), r.verdict(), text)));
                events.add(acknowledged.orElseGet(() -> new MeterReport(SecurityModule.OFF_SWITCH_SECURITY, ok.counter(), ok.kind(), text)));
            } else {
                events.add(new MeterReport(channel, ok.counter(), ok.kind(), text));
            }
        }
        byte[] acknowledgement = ack;
        return Effect().persist(events).thenRun(s -> {
            if (acknowledgement != null) {
                downlink.tell(new FrameForMeter(meter.meterId(), SecurityModule.CS_SECURITY, acknowledgement, s.lastReadingEnd));
            }
            persistedDeliveries.remember(f.deliveryId(), digest);
            f.replyTo().tell(new FrameDelivered(f.deliveryId()));
        });
    }

    private FrameRefused refused(SecurityModule channel, long counter, String cause, byte[] frame) {
        context.getLog().warn("meter {}: frame of {} bytes refused: {}", meter.meterId(), frame.length, cause);
        return new FrameRefused(channel, counter, cause, frame.length);
    }

    private Event anchor(SecurityModule channel, Opened.Ok ok, byte[] frame) {
        Optional<SignedLogAnchor> anchor = SignedLogAnchor.decode(ok.plaintext()).filter(a -> channel == SecurityModule.CS_SECURITY
                ? meter.anchorVerifiesFromCsSecurity(a)
                : a.segment().equals("off-switch-log") && meter.anchorVerifiesFromOffSwitchSecurity(a));
        return anchor.<Event>map(a -> new AnchorRecorded(channel, ok.counter(), a.segment(), a.seq(), a.time(), a.head()))
                .orElseGet(() -> refused(channel, ok.counter(), "BAD_ANCHOR", frame));
    }

    /** CsSecurity's plaintexts: {@code electricity,start,end,importWh,exportWh}, {@code gas,at,litres}, {@code generation,at,Wh}. */
    private static Optional<ReadingReceived> reading(State state, long frame, String text) {
        String[] p = text.split(",", -1);
        try {
            if (p[0].equals("electricity") && p.length == 5) {
                long start = Long.parseLong(p[1]);
                long end = Long.parseLong(p[2]);
                long imported = Long.parseLong(p[3]);
                long exported = Long.parseLong(p[4]);
                if (end <= start || imported < 0 || exported < 0) {
                    return Optional.empty();
                }
                return Optional.of(new ReadingReceived(frame, "electricity", start, end, imported, exported,
                        state.tariffAt(start).cost(start, imported)));
            }
            if ((p[0].equals("gas") || p[0].equals("generation")) && p.length == 3) {
                long at = Long.parseLong(p[1]);
                long quantity = Long.parseLong(p[2]);
                if (quantity < 0) {
                    return Optional.empty();
                }
                boolean gas = p[0].equals("gas");
                return Optional.of(new ReadingReceived(frame, p[0], at, at, gas ? quantity : 0, gas ? 0 : quantity, 0));
            }
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private Effect<Event, State> issueCommand(State state, IssueCommand c) {
        String refusal = c.kind() == null ? "no command kind"
                : c.kind().isSwitchCommand() ? c.kind() + " is a switch command: send IssueSwitch"
                : c.payload() == null ? "no payload" : payloadProblem(c.kind(), c.payload());
        if (refusal != null) {
            return Effect().reply(c.replyTo(), new Issued(meter.meterId(), c.kind(), 0, refusal));
        }
        byte[] frame = meter.command(c.kind(), c.payload(), c.now() / 1000);
        ProvisionedMeter.Counters counters = meter.counters();
        CommandIssued issued = new CommandIssued(counters.commands(), c.kind(), c.payload(), c.now(), counters.framesToMeter());
        return Effect().persist(issued).thenRun(s -> {
            downlink.tell(new FrameForMeter(meter.meterId(), SecurityModule.CS_SECURITY, frame, c.now()));
            c.replyTo().tell(new Issued(meter.meterId(), c.kind(), issued.sequence(), null));
        });
    }

    /** What is wrong with a payload the account itself interprets, or null. */
    private static String payloadProblem(CommandKind kind, String payload) {
        if (kind == CommandKind.SET_TARIFF) {
            try {
                Tariff.decode(payload);
            } catch (IllegalArgumentException e) {
                return "SET_TARIFF payload is not 24 comma-separated non-negative prices: " + e.getMessage();
            }
        } else if (kind == CommandKind.SET_PAYMENT_MODE && !payload.equals("true") && !payload.equals("false")) {
            return "SET_PAYMENT_MODE payload is 'true' (prepaid) or 'false', not '" + payload + "'";
        }
        return null;
    }

    private Effect<Event, State> issueSwitch(State state, IssueSwitch c) {
        byte[] command = meter.switchCommand(c.on(), c.now() / 1000);
        SwitchCommandIssued issued = new SwitchCommandIssued(meter.counters().switchCommands(), c.on(), c.now(), c.requestId());
        CommandKind kind = c.on() ? CommandKind.SWITCH_ON : CommandKind.SWITCH_OFF;
        return Effect().persist(issued).thenRun(s -> {
            downlink.tell(new FrameForMeter(meter.meterId(), SecurityModule.OFF_SWITCH_SECURITY, command, c.now()));
            if (c.replyTo() != null) {
                c.replyTo().tell(new Issued(meter.meterId(), kind, issued.sequence(), null));
            }
        });
    }

    private Effect<Event, State> issueTopUp(State state, IssueTopUp c) {
        if (c.amountCents() < 1) {
            return Effect().reply(c.replyTo(), new TopUpIssued(meter.meterId(), 0, c.amountCents(), new byte[0],
                    "a top-up adds credit: " + c.amountCents() + " cents"));
        }
        byte[] token = meter.topUpToken(c.amountCents(), c.now() / 1000);
        TopUpTokenIssued issued = new TopUpTokenIssued(meter.counters().topUpTokens(), c.amountCents(), c.now());
        return Effect().persist(issued).thenReply(c.replyTo(),
                s -> new TopUpIssued(meter.meterId(), issued.tokenId(), issued.amountCents(), token, null));
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> {
            if (recovering) {
                eventsReplayed++;
            }
            apply(state, event);
            return state;
        });
    }

    private static void apply(State s, Event event) {
        if (event instanceof ReadingReceived r) {
            s.opened(SecurityModule.CS_SECURITY, r.frame());
            s.readings++;
            s.lastReadingFrame = r.frame();
            if (r.commodity().equals("electricity")) {
                long day = Math.floorDiv(r.intervalStart(), DAY_MS);
                if (day != s.openDay) {
                    s.openDay = day;
                    s.dayImport = 0;
                    s.dayExport = 0;
                    s.dayCost = 0;
                    s.dayReadings = 0;
                }
                s.dayImport += r.importWh();
                s.dayExport += r.exportWh();
                s.dayCost += r.costMilliCents();
                s.dayReadings++;
                s.lastReadingEnd = r.intervalEnd();
                if (s.prepaid) {
                    s.creditMilliCents -= r.costMilliCents();
                }
            }
        } else if (event instanceof AcknowledgementSent a) {
            s.framesToMeter = Math.max(s.framesToMeter, a.frame());
            s.acknowledgements++;
        } else if (event instanceof DailyBillIssued b) {
            s.bills.add(b.bill());
        } else if (event instanceof AnchorRecorded a) {
            s.opened(a.channel(), a.frame());
            s.anchors.computeIfAbsent(a.segment(), k -> new ArrayList<>()).add(new ChainVerifier.Anchor(a.seq(), a.head()));
            s.anchorCount++;
        } else if (event instanceof SwitchAcknowledged a) {
            s.opened(SecurityModule.OFF_SWITCH_SECURITY, a.frame());
            s.switchAcknowledged.put(a.sequence(), a.outcome());
        } else if (event instanceof MeterReport r) {
            s.opened(r.channel(), r.frame());
        } else if (event instanceof FrameRefused r) {
            s.opened(r.channel(), r.frame());
            s.refusals.merge(r.cause(), 1L, Long::sum);
        } else if (event instanceof CommandIssued c) {
            s.commandSequence = Math.max(s.commandSequence, c.sequence());
            s.framesToMeter = Math.max(s.framesToMeter, c.frame());
            s.commands++;
            if (c.kind() == CommandKind.SET_TARIFF) {
                s.tariffs.put(c.issuedAt(), Tariff.decode(c.payload()));
            } else if (c.kind() == CommandKind.SET_PAYMENT_MODE) {
                s.prepaid = Boolean.parseBoolean(c.payload());
            }
        } else if (event instanceof SwitchCommandIssued c) {
            s.switchSequence = Math.max(s.switchSequence, c.sequence());
            s.switchIssued.put(c.sequence(), c.on());
        } else if (event instanceof TopUpTokenIssued t) {
            s.tokenId = Math.max(s.tokenId, t.tokenId());
            s.creditMilliCents += t.amountCents() * 1000;
        }
    }

    private AccountView view(State s) {
        DailyBill open = s.openDay < 0 ? null : new DailyBill(s.openDay, s.dayImport, s.dayExport, s.dayCost, s.dayReadings);
        return new AccountView(meter.meterId(), s.readings, s.lastReadingFrame, List.copyOf(s.bills), open, s.prepaid,
                s.creditMilliCents, s.tokenId, s.commands, s.switchIssued.size(), new LinkedHashMap<>(s.switchAcknowledged),
                s.acknowledgements, s.anchorCount, new LinkedHashMap<>(s.refusals), eventsReplayed, s.lastReadingEnd);
    }
}
