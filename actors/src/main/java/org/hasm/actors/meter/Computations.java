package org.hasm.actors.meter;

import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.meter.MeterSignals.ApplianceCommand;
import org.hasm.actors.meter.MeterSignals.ApplianceRejected;
import org.hasm.actors.meter.MeterSignals.ApplianceSwitch;
import org.hasm.actors.meter.MeterSignals.ConsumptionFeedback;
import org.hasm.actors.meter.MeterSignals.IntervalCost;
import org.hasm.actors.meter.MeterSignals.IntervalReading;
import org.hasm.actors.meter.MeterSignals.ReadingForAggregation;
import org.hasm.actors.meter.MeterSignals.ReadingReport;
import org.hasm.actors.meter.MeterSignals.ReadingsAcknowledged;
import org.hasm.actors.meter.MeterSignals.TariffFeedback;
import org.hasm.actors.meter.MeterSignals.TariffUpdate;
import org.hasm.actors.meter.MeterSignals.Tick;
import org.hasm.persistence.SegmentMessages.Persisted;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * The computations module: logs every interval reading in the MetrologyLog, prices it under the
 * tariffs in force, and only then hands it on (to CsSecurity for the central system, to DcSecurity for
 * the aggregate, to CreditBalance as a cost, to the Display and the HAN as feedback). It keeps the
 * Tariffs segment and checks load-balancing commands for reasonableness (P13).
 */
public final class Computations {
    static final Needs NEEDS = Needs.of(Part.Computations)
            .sends(Part.MetrologyLog, MessageType.AppendEntry).answeredBy(Part.MetrologyLog, MessageType.Persisted)
            .sends(Part.Tariffs, MessageType.StoreTariffs, MessageType.ReadSegment)
            .answeredBy(Part.Tariffs, MessageType.Persisted, MessageType.SegmentContents)
            .sends(Part.CsSecurity, MessageType.ReadingReport, MessageType.ConsumptionFeedback, MessageType.TariffFeedback,
                    MessageType.ApplianceSwitch, MessageType.ApplianceRejected, MessageType.LogAnchor)
            .sends(Part.DcSecurity, MessageType.ReadingForAggregation)
            .sends(Part.CreditBalance, MessageType.IntervalCost)
            .sends(Part.Display, MessageType.ConsumptionFeedback, MessageType.TariffFeedback);

    /** The Tariffs segment's key for the tariffs in force. */
    public static final String TARIFF_KEY = "tariff";

    private final WriteAhead metrologyLog;
    private final WriteAhead tariffs;
    private final Channel<PolicyMessage> tariffSegment;
    private final Channel<PolicyMessage> csSecurity;
    private final Channel<PolicyMessage> dcSecurity;
    private final Channel<PolicyMessage> creditBalance;
    private final Channel<PolicyMessage> display;
    private final LoadBalancingCheck loadBalancing;
    private Tariff tariff;
    private long now;
    /** MetrologyLog entry of each confirmed reading not yet acknowledged, by interval end. */
    private final NavigableMap<Long, Long> unacknowledged = new TreeMap<>();

    private Computations(Wiring wiring, MeterConfig config, Tariff initialTariff) {
        this.csSecurity = wiring.to(Part.CsSecurity);
        this.metrologyLog = new WriteAhead(wiring, Part.MetrologyLog, config, csSecurity::send);
        this.tariffs = new WriteAhead(wiring, Part.Tariffs, config, csSecurity::send);
        this.tariffSegment = wiring.to(Part.Tariffs);
        this.dcSecurity = wiring.to(Part.DcSecurity);
        this.creditBalance = wiring.to(Part.CreditBalance);
        this.display = wiring.to(Part.Display);
        this.loadBalancing = new LoadBalancingCheck(config);
        this.tariff = initialTariff;
    }

    public static Behavior<PolicyMessage> create(MeterConfig config, Tariff initialTariff, long installedAt) {
        return Wiring.await(w -> {
            Computations c = new Computations(w, config, initialTariff);
            c.now = installedAt;
            // Tariffs written before a restart win over the provisioning default.
            return SegmentRecovery.readThen(c.tariffSegment, Part.Tariffs, contents -> {
                String stored = contents.values().get(TARIFF_KEY);
                if (stored != null) {
                    c.tariff = Tariff.decode(stored);
                }
                return c.running();
            });
        });
    }

    private Behavior<PolicyMessage> running() {
        return Behaviors.receive(PolicyMessage.class)
                .onMessage(Tick.class, t -> {
                    now = t.now();
                    metrologyLog.tick(t);
                    tariffs.tick(t);
                    return Behaviors.same();
                })
                .onMessage(IntervalReading.class, r -> {
                    metrologyLog.append(r.intervalEnd(),
                            new MetrologyLogEntry.Reading(r.intervalStart(), r.intervalEnd(), r.importWh(), r.exportWh()),
                            () -> {
                                unacknowledged.put(r.intervalEnd(), metrologyLog.confirmedSeq());
                                handOn(r);
                            });
                    return Behaviors.same();
                })
                .onMessage(ReadingsAcknowledged.class, a -> {
                    NavigableMap<Long, Long> acknowledged = unacknowledged.headMap(a.until(), true);
                    if (!acknowledged.isEmpty()) {
                        metrologyLog.acknowledge(now, acknowledged.lastEntry().getValue());
                        acknowledged.clear();
                    }
                    return Behaviors.same();
                })
                .onMessage(TariffUpdate.class, u -> {
                    tariffs.store(u.at(), TARIFF_KEY, u.tariff().encode(), () -> {
                        tariff = u.tariff();
                        display.send(new TariffFeedback(tariff));
                        csSecurity.send(new TariffFeedback(tariff));
                    });
                    return Behaviors.same();
                })
                .onMessage(ApplianceCommand.class, a -> {
                    Optional<String> refusal = loadBalancing.admit(a.appliance(), a.on(), a.at());
                    csSecurity.send(refusal.<PolicyMessage>map(why -> new ApplianceRejected(a.appliance(), a.on(), a.at(), why))
                            .orElseGet(() -> new ApplianceSwitch(a.appliance(), a.on(), a.at())));
                    return Behaviors.same();
                })
                .onMessage(Persisted.class, p -> {
                    if (!metrologyLog.confirmed(p, now)) {
                        tariffs.confirmed(p, now);
                    }
                    return Behaviors.same();
                })
                .build();
    }

    private void handOn(IntervalReading r) {
        long cost = tariff.cost(r.intervalStart(), r.importWh());
        creditBalance.send(new IntervalCost(r.intervalStart(), cost));
        csSecurity.send(new ReadingReport(r));
        dcSecurity.send(new ReadingForAggregation(r.intervalStart(), r.importWh()));
        ConsumptionFeedback feedback = new ConsumptionFeedback(r.intervalStart(), r.importWh(), r.exportWh());
        display.send(feedback);
        csSecurity.send(feedback);
    }
}
