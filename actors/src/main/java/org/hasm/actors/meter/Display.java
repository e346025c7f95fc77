package org.hasm.actors.meter;

import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.meter.MeterSignals.ButtonPress;
import org.hasm.actors.meter.MeterSignals.ConsumptionFeedback;
import org.hasm.actors.meter.MeterSignals.CreditFeedback;
import org.hasm.actors.meter.MeterSignals.LocalConfirmation;
import org.hasm.actors.meter.MeterSignals.SwitchStatus;
import org.hasm.actors.meter.MeterSignals.TariffFeedback;
import org.hasm.actors.meter.MeterSignals.Tick;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * The display: shows consumption, tariff, credit and supply state to the consumer and carries the
 * button that confirms a reconnection (P12). What it shows goes to {@code screen}, the consumer's eyes.
 */
public final class Display {
    static final Needs NEEDS = Needs.of(Part.Display).sends(Part.OffSwitchSecurity, MessageType.LocalConfirmation);

    /** What the screen shows right now. */
    public record View(long now, long lastImportWh, Tariff tariff, long creditMilliCents, boolean prepaid, Supply supply) {
    }

    private final Channel<PolicyMessage> offSwitchSecurity;
    private final Consumer<View> screen;
    private View view = new View(0, 0, null, 0, false, Supply.ON);

    private Display(Wiring wiring, Consumer<View> screen) {
        this.offSwitchSecurity = wiring.to(Part.OffSwitchSecurity);
        this.screen = screen;
    }

    public static Behavior<PolicyMessage> create(Consumer<View> screen) {
        return Wiring.await(w -> new Display(w, screen).running());
    }

    private Behavior<PolicyMessage> running() {
        return Behaviors.receive(PolicyMessage.class)
                .onMessage(Tick.class, t -> show(new View(t.now(), view.lastImportWh(), view.tariff(),
                        view.creditMilliCents(), view.prepaid(), view.supply())))
                .onMessage(ConsumptionFeedback.class, c -> show(new View(view.now(), c.importWh(), view.tariff(),
                        view.creditMilliCents(), view.prepaid(), view.supply())))
                .onMessage(TariffFeedback.class, t -> show(new View(view.now(), view.lastImportWh(), t.tariff(),
                        view.creditMilliCents(), view.prepaid(), view.supply())))
                .onMessage(CreditFeedback.class, c -> show(new View(view.now(), view.lastImportWh(), view.tariff(),
                        c.creditMilliCents(), c.prepaid(), view.supply())))
                .onMessage(SwitchStatus.class, s -> show(new View(view.now(), view.lastImportWh(), view.tariff(),
                        view.creditMilliCents(), view.prepaid(), s.supply())))
                .onMessage(ButtonPress.class, b -> {
                    // OffSwitchSecurity decides whether a confirmation means anything (only when ARMED).
                    offSwitchSecurity.send(new LocalConfirmation());
                    return Behaviors.same();
                })
                .build();
    }

    private Behavior<PolicyMessage> show(View next) {
        view = next;
        screen.accept(next);
        return Behaviors.same();
    }
}
