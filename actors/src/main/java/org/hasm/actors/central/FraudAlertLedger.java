package org.hasm.actors.central;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.hasm.actors.link.CentralSystemLink.FraudAlert;
import org.hasm.actors.crypto.SignedFraudAlert;
import org.hasm.actors.crypto.VerifyingKey;
import org.hasm.persistence.JournalSerializable;
import org.hasm.persistence.jdbc.JournalStore;

/**
 * The central system's record of one data concentrator's fraud alerts (paper III-D: the feeder meter sees
 * energy the aggregate misses). Every alert the concentrator's link delivers is kept on journal
 * {@code hasm.journal.central-alerts}, with its signed wire bytes so a forensic reader can check it again,
 * whether it verified under the concentrator's alert key, and the time window of its suspicious intervals.
 * An alert that does not verify, or claims another concentrator, is kept too, as refused: a forger's
 * attempt is evidence as well.
 */
public final class FraudAlertLedger extends EventSourcedBehavior<FraudAlertLedger.Command, FraudAlertLedger.Event, FraudAlertLedger.State> {
    public static final String JOURNAL = "hasm.journal." + JournalStore.CENTRAL_ALERTS;
    public static final String SNAPSHOTS = "hasm.snapshot." + JournalStore.CENTRAL_ALERTS;
    /** Entity type of the persistence ids: {@code FraudAlertLedger|dc-1}. */
    public static final String TYPE = "FraudAlertLedger";

    /**
     * @param alertKey the concentrator's verifying key for its alerts
     * @param interval the length of the concentrator's rounds: round r covers [r * interval, (r + 1) * interval)
     */
    public record Settings(String concentratorId, VerifyingKey alertKey, Duration interval) {
        public Settings {
            Objects.requireNonNull(concentratorId, "concentratorId");
            Objects.requireNonNull(alertKey, "alertKey");
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("a concentrator's interval must be positive");
            }
        }
    }

    // ---- protocol ----

    public interface Command extends JournalSerializable {
    }

    /** An alert as the concentrator's link delivered it; {@code replyTo} hears what was recorded. */
    public record Receive(FraudAlert alert, ActorRef<AlertRecorded> replyTo) implements Command {
    }

    /** The alerts once the ledger holds at least {@code count} (at once if it does now). */
    public record GetAlertsOnceKept(int count, ActorRef<Alerts> replyTo) implements Command {
    }

    public record GetAlerts(ActorRef<Alerts> replyTo) implements Command {
    }

    public record Alerts(List<AlertRecorded> alerts) implements JournalSerializable {
    }

    // ---- events ----

    public sealed interface Event extends JournalSerializable {
    }

    /**
     * One alert received. {@code fromTime}..{@code toTime} is the window of its suspicious intervals (the
     * end exclusive). The rounds and figures are what the wire bytes say, zero when they do not decode;
     * {@code verified} false means refused, and {@code reason} says why.
     */
    public record AlertRecorded(String concentratorId, byte[] signedAlert, long fromRound, long toRound, long fromTime, long toTime,
                                long feederWh, long aggregateWh, long lossesPpm, boolean verified, String reason) implements Event {
        /** The energy the aggregate does not explain beyond the losses the concentrator allowed for. */
        public long gapWh() {
            return feederWh - aggregateWh - feederWh * lossesPpm / 1_000_000;
        }
    }

    // ---- state ----

    public static final class State {
        final List<AlertRecorded> alerts = new ArrayList<>();
    }

    // ---- behaviour ----

    private final Settings settings;
    private final ActorContext<Command> context;
    /** Who waits for the ledger to hold a number of alerts ({@link GetAlertsOnceKept}); not state: not persisted. */
    private final List<GetAlertsOnceKept> waiting = new ArrayList<>();

    private FraudAlertLedger(Settings settings, ActorContext<Command> context) {
        super(PersistenceId.of(TYPE, settings.concentratorId()));
        this.settings = settings;
        this.context = context;
    }

    public static Behavior<Command> create(Settings settings) {
        return Behaviors.setup(context -> new FraudAlertLedger(settings, context));
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
        return new State();
    }

    @Override
    public CommandHandler<Command, Event, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Receive.class, this::receive)
                .onCommand(GetAlerts.class, (state, q) -> Effect().reply(q.replyTo(), new Alerts(List.copyOf(state.alerts))))
                .onCommand(GetAlertsOnceKept.class, (state, q) -> {
                    waiting.add(q);
                    answerWaiting(state);
                    return Effect().none();
                })
                .build();
    }

    /** Answers whoever asked for fewer alerts than the ledger now holds; a persisted alert may be the one they wait for. */
    private void answerWaiting(State state) {
        waiting.removeIf(q -> {
            if (state.alerts.size() < q.count()) {
                return false;
            }
            q.replyTo().tell(new Alerts(List.copyOf(state.alerts)));
            return true;
        });
    }

    private Effect<Event, State> receive(State state, Receive r) {
        AlertRecorded recorded = judge(r.alert());
        return Effect().persist(recorded).thenRun(s -> {
            if (recorded.verified()) {
                context.getLog().warn("fraud alert from {}: rounds {}..{}, feeder {} Wh vs aggregate {} Wh", recorded.concentratorId(),
                        recorded.fromRound(), recorded.toRound(), recorded.feederWh(), recorded.aggregateWh());
            } else {
                context.getLog().warn("fraud alert refused on the link of {}: {}", settings.concentratorId(), recorded.reason());
            }
            if (r.replyTo() != null) {
                r.replyTo().tell(recorded);
            }
            answerWaiting(s);
        });
    }

    private AlertRecorded judge(FraudAlert delivered) {
        byte[] wire = delivered == null || delivered.signedAlert() == null ? new byte[0] : delivered.signedAlert().clone();
        Optional<SignedFraudAlert> decoded = SignedFraudAlert.decode(wire);
        if (decoded.isEmpty()) {
            return new AlertRecorded(settings.concentratorId(), wire, 0, 0, 0, 0, 0, 0, 0, false, "not a well-formed signed fraud alert");
        }
        SignedFraudAlert a = decoded.get();
        String problem = !a.concentratorId().equals(settings.concentratorId())
                ? "signed for concentrator '" + a.concentratorId() + "', delivered on the link of " + settings.concentratorId()
                : !a.verifies(settings.alertKey()) ? "the signature does not verify under " + settings.concentratorId() + "'s alert key"
                : null;
        long interval = settings.interval().toMillis();
        long from = 0;
        long to = 0;
        try {
            from = Math.multiplyExact(a.fromRound(), interval);
            to = Math.multiplyExact(Math.addExact(a.toRound(), 1), interval);
        } catch (ArithmeticException e) {
            problem = problem != null ? problem : "rounds " + a.fromRound() + ".." + a.toRound() + " are no time";
        }
        return new AlertRecorded(a.concentratorId(), wire, a.fromRound(), a.toRound(), from, to, a.feederWh(), a.aggregateWh(),
                a.lossesPpm(), problem == null, problem);
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onEvent(AlertRecorded.class, (state, e) -> {
            state.alerts.add(e);
            return state;
        }).build();
    }
}
