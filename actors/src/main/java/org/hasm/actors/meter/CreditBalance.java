package org.hasm.actors.meter;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.meter.MeterSignals.CreditFeedback;
import org.hasm.actors.meter.MeterSignals.CreditRestored;
import org.hasm.actors.meter.MeterSignals.IntervalCost;
import org.hasm.actors.meter.MeterSignals.PrepaidModeChange;
import org.hasm.actors.meter.MeterSignals.Tick;
import org.hasm.actors.meter.MeterSignals.TopUp;
import org.hasm.actors.meter.MeterSignals.ZeroCredit;
import org.hasm.persistence.SegmentMessages.Persisted;
import org.hasm.persistence.SegmentMessages.SegmentContents;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * Prepaid credit. In prepaid mode every interval's cost is debited; at zero credit it asks
 * OffSwitchSecurity to switch off (it cannot reach the OffSwitch itself, P3), and after a top-up it
 * tells OffSwitchSecurity that a local switch-on may follow the consumer's confirmation.
 * Every change is in the CreditStore before it is shown or acted on.
 */
public final class CreditBalance {
    static final Needs NEEDS = Needs.of(Part.CreditBalance)
            .sends(Part.CreditStore, MessageType.StoreCredit, MessageType.ReadSegment)
            .answeredBy(Part.CreditStore, MessageType.Persisted, MessageType.SegmentContents)
            .sends(Part.OffSwitchSecurity, MessageType.ZeroCredit, MessageType.CreditRestored)
            .sends(Part.Display, MessageType.CreditFeedback)
            .sends(Part.CsSecurity, MessageType.CreditFeedback, MessageType.LogAnchor);

    /** The CreditStore's keys: the credit in milli-cents, and whether the meter is in prepaid mode. */
    public static final String CREDIT = "credit";
    public static final String PREPAID = "prepaid";

    private final WriteAhead store;
    private final Channel<PolicyMessage> creditStore;
    private final Channel<PolicyMessage> offSwitchSecurity;
    private final Channel<PolicyMessage> display;
    private final Channel<PolicyMessage> csSecurity;
    private boolean prepaid;
    /** Credit as confirmed by the CreditStore: what is shown and acted on. */
    private long credit;
    /** Credit once every write already sent has landed: debits and top-ups in flight build on it, not on {@code credit}. */
    private long written;
    private boolean switchOffRequested;
    private long now;
    private final long intervalMs;

    private CreditBalance(Wiring wiring, MeterConfig config) {
        this.csSecurity = wiring.to(Part.CsSecurity);
        this.store = new WriteAhead(wiring, Part.CreditStore, config, csSecurity::send);
        this.creditStore = wiring.to(Part.CreditStore);
        this.offSwitchSecurity = wiring.to(Part.OffSwitchSecurity);
        this.display = wiring.to(Part.Display);
        this.intervalMs = config.interval().toMillis();
    }

    public static Behavior<PolicyMessage> create(MeterConfig config, long installedAt) {
        return Wiring.await(w -> {
            CreditBalance c = new CreditBalance(w, config);
            c.now = installedAt;
            return SegmentRecovery.readThen(c.creditStore, Part.CreditStore, contents -> {
                c.recover(contents);
                return c.running();
            });
        });
    }

    private Behavior<PolicyMessage> running() {
        return Behaviors.receive(PolicyMessage.class)
                .onMessage(Tick.class, t -> {
                    now = t.now();
                    store.tick(t);
                    return Behaviors.same();
                })
                .onMessage(PrepaidModeChange.class, m -> {
                    store.store(m.at(), PREPAID, Boolean.toString(m.prepaid()), () -> {
                        prepaid = m.prepaid();
                        if (!prepaid && switchOffRequested) {
                            // Leaving prepaid mode ends a zero-credit disconnection (after local confirmation).
                            switchOffRequested = false;
                            offSwitchSecurity.send(new CreditRestored(m.at()));
                        }
                        if (prepaid) {
                            checkZero(m.at());
                        }
                        feedback();
                    });
                    return Behaviors.same();
                })
                .onMessage(IntervalCost.class, c -> {
                    if (!prepaid || c.milliCents() == 0) {
                        return Behaviors.same();
                    }
                    long after = written - c.milliCents();
                    written = after;
                    // stamped with the end of the interval it pays for, not with whenever the cost arrived
                    long at = c.intervalStart() + intervalMs;
                    store.store(at, CREDIT, Long.toString(after), () -> {
                        credit = after;
                        checkZero(at);
                        feedback();
                    });
                    return Behaviors.same();
                })
                .onMessage(TopUp.class, t -> {
                    long after = written + t.milliCents();
                    written = after;
                    store.store(t.at(), CREDIT, Long.toString(after), () -> {
                        credit = after;
                        if (switchOffRequested && credit > 0) {
                            switchOffRequested = false;
                            offSwitchSecurity.send(new CreditRestored(t.at()));
                        }
                        feedback();
                    });
                    return Behaviors.same();
                })
                .onMessage(Persisted.class, p -> {
                    store.confirmed(p, now);
                    return Behaviors.same();
                })
                .build();
    }

    private void recover(SegmentContents c) {
        credit = Long.parseLong(c.values().getOrDefault(CREDIT, "0"));
        written = credit;
        prepaid = Boolean.parseBoolean(c.values().getOrDefault(PREPAID, "false"));
    }

    private void checkZero(long at) {
        if (prepaid && credit <= 0 && !switchOffRequested) {
            switchOffRequested = true;
            offSwitchSecurity.send(new ZeroCredit(at));
        }
    }

    private void feedback() {
        CreditFeedback f = new CreditFeedback(credit, prepaid);
        display.send(f);
        csSecurity.send(f);
    }
}
