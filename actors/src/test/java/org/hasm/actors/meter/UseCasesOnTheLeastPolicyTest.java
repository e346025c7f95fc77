package org.hasm.actors.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.hasm.policy.Flow;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.UseCase;
import org.junit.jupiter.api.AfterEach;

/**
 * Every use case of {@link MeterUseCasesTest} again, on a meter whose policy has only the flows some use
 * case's path takes: the shipped flows that no path takes (docs/policy.md lists them) are shown harmless,
 * and no part sends on a flow that its use cases do not declare (the guard would drop it, and count it).
 */
class UseCasesOnTheLeastPolicyTest extends MeterUseCasesTest {
    static final FlowPolicy LEAST = least();
    private final List<MeterHarness> meters = new java.util.ArrayList<>();

    private static FlowPolicy least() {
        Set<Flow> onPaths = new HashSet<>();
        for (UseCase u : UseCase.values()) {
            onPaths.addAll(u.path());
        }
        FlowPolicy shipped = FlowPolicy.shipped();
        return shipped.without(shipped.flows().stream().filter(f -> !onPaths.contains(f)).toList());
    }

    @Override
    MeterHarness meter(ActorTestKit testKit, String id) {
        MeterHarness m = new MeterHarness(testKit, id, MeterConfig.DEFAULT, Tariff.flat(20_000), LEAST);
        meters.add(m);
        return m;
    }

    @AfterEach
    void nothingWasSentOutsideTheUseCasesPaths() {
        for (MeterHarness m : meters) {
            assertEquals(Map.of(), m.drops.snapshot(), m.meterId + " sent on a flow no use case takes");
        }
        meters.clear();
    }
}
