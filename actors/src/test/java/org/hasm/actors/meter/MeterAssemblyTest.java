package org.hasm.actors.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.central.Provisioning;
import org.hasm.actors.crypto.SimulationRandomness;
import org.hasm.policy.Part;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class MeterAssemblyTest {
    private static final ActorTestKit testKit = ActorTestKit.create();

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    record Placement(Part part, String thread) {
    }

    @Test
    void theKernelSpawnsEveryPartAndPutsP1AndP2OnSeparateDispatchers() {
        TestProbe<Placement> placements = testKit.createTestProbe(Placement.class);
        MeterHarness m = new MeterHarness(testKit, "assembly", MeterConfig.DEFAULT, Tariff.flat(20_000),
                new Provisioning("cs-1", SimulationRandomness.seeded(9, "fleet")),
                parts -> part -> Behaviors.setup(ctx -> {
                    placements.getRef().tell(new Placement(part, Thread.currentThread().getName()));
                    return parts.behaviour(part);
                }));

        Map<Part, String> threads = new EnumMap<>(Part.class);
        for (int i = 0; i < 10; i++) {
            Placement p = placements.receiveMessage();
            threads.put(p.part(), p.thread());
        }
        assertEquals(Part.ofKind(Part.Kind.COMPONENT).size() + Part.ofKind(Part.Kind.MODULE).size(), threads.size());
        threads.forEach((part, thread) -> {
            switch (part.processor()) {
                case P1 -> assertTrue(thread.contains(Meter.P1_DISPATCHER), part + " ran on " + thread);
                case P2 -> assertTrue(thread.contains(Meter.P2_DISPATCHER), part + " ran on " + thread);
                case NONE -> assertFalse(thread.contains("hasm.dispatchers"), part + " ran on " + thread);
            }
        });
        // And the six segments answer: one full reading round trip touches MetrologyLog.
        m.interval(10);
        m.awaitEntry(Part.MetrologyLog, e -> e.startsWith("reading: "));
    }
}
