package org.hasm.actors.meter;

import org.apache.pekko.actor.typed.Behavior;
import org.hasm.persistence.SegmentQuota;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.PolicyMessage;

/** Makes the behaviour of each component and module of one meter; segments are the kernel's business. */
@FunctionalInterface
public interface MeterParts {
    Behavior<PolicyMessage> behaviour(Part part);

    /** How many entries {@code segment} may hold; unlimited unless the meter's configuration says otherwise. */
    default SegmentQuota quota(Part segment) {
        return SegmentQuota.UNLIMITED;
    }
}
