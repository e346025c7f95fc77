package org.hasm.actors.meter;

import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Behavior;
import org.hasm.actors.crypto.AggregationScheme;
import org.hasm.persistence.SegmentQuota;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * The parts of a standard meter. Each module gets only its own keys: CsSecurity the central-system
 * keys, OffSwitchSecurity the off-switch public key and report key, DcSecurity its aggregation share.
 * {@code installedAt} is the time the modules start with, before the Clock's first Tick reaches them.
 * {@code supply} and {@code screen} are the physical outputs: whether power flows, what the Display shows.
 */
public record StandardMeterParts(String meterId, long installedAt, MeterConfig config, Tariff tariff, CsSecurityKeys csKeys,
                                 OffSwitchSecurityKeys offSwitchKeys, AggregationScheme.MeterShares shares,
                                 Consumer<Boolean> supply, Consumer<Display.View> screen) implements MeterParts {
    @Override
    public Behavior<PolicyMessage> behaviour(Part part) {
        return switch (part) {
            case Clock -> Clock.create(config);
            case Metrology -> Metrology.create(config);
            case Display -> Display.create(screen);
            case OffSwitch -> OffSwitch.create(supply);
            case Communications -> Communications.create();
            case Computations -> Computations.create(config, tariff, installedAt);
            case CreditBalance -> CreditBalance.create(config, installedAt);
            case CsSecurity -> CsSecurity.create(csKeys, config, installedAt);
            case DcSecurity -> DcSecurity.create(meterId, config, shares);
            case OffSwitchSecurity -> OffSwitchSecurity.create(offSwitchKeys, config, installedAt);
            default -> throw new IllegalArgumentException(part + " is not a component or module of a meter");
        };
    }

    /** What {@code part} needs the policy to allow; each part declares it next to its behaviour. */
    static Needs needs(Part part) {
        return switch (part) {
            case Clock -> Clock.NEEDS;
            case Metrology -> Metrology.NEEDS;
            case Display -> Display.NEEDS;
            case OffSwitch -> OffSwitch.NEEDS;
            case Communications -> Communications.NEEDS;
            case Computations -> Computations.NEEDS;
            case CreditBalance -> CreditBalance.NEEDS;
            case CsSecurity -> CsSecurity.NEEDS;
            case DcSecurity -> DcSecurity.NEEDS;
            case OffSwitchSecurity -> OffSwitchSecurity.NEEDS;
            default -> throw new IllegalArgumentException(part + " is not a component or module of a meter");
        };
    }

    @Override
    public SegmentQuota quota(Part segment) {
        return config.quota(segment);
    }
}
