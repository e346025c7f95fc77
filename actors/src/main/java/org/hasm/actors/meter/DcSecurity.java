package org.hasm.actors.meter;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.crypto.AggregationScheme;
import org.hasm.actors.meter.MeterSignals.AggregationRound;
import org.hasm.actors.meter.MeterSignals.AggregationShare;
import org.hasm.actors.meter.MeterSignals.ReadingForAggregation;
import org.hasm.actors.meter.MeterSignals.Tick;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * The DC security module: turns each interval reading into a share of its group's aggregate, so the
 * concentrator learns sums over the group and never one meter's reading (P14), and answers a
 * concentrator's request for recovery shares when group members are missing. Its keys are its own; it
 * has no edge to CsSecurity (P9). One round is one metering interval.
 */
public final class DcSecurity {
    static final Needs NEEDS = Needs.of(Part.DcSecurity).sends(Part.Communications, MessageType.AggregationShare);

    private DcSecurity() {
    }

    public static Behavior<PolicyMessage> create(String meterId, MeterConfig config, AggregationScheme.MeterShares shares) {
        long intervalMs = config.interval().toMillis();
        return Wiring.await(w -> {
            Channel<PolicyMessage> communications = w.to(Part.Communications);
            return Behaviors.receive(PolicyMessage.class)
                    .onMessage(Tick.class, t -> Behaviors.same())
                    .onMessage(ReadingForAggregation.class, r -> {
                        long round = Math.floorDiv(r.intervalStart(), intervalMs);
                        communications.send(new AggregationShare(meterId, shares.meterIndex(), false,
                                shares.share(round, r.importWh())));
                        return Behaviors.same();
                    })
                    .onMessage(AggregationRound.class, r -> {
                        if (!r.missingMeters().isEmpty() && !r.missingMeters().contains(shares.meterIndex())) {
                            communications.send(new AggregationShare(meterId, shares.meterIndex(), true,
                                    shares.recoveryShare(r.round(), r.missingMeters())));
                        }
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
