package org.hasm.policy.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.Rule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GuardTest {
    private static final ActorTestKit testKit = ActorTestKit.create();
    private static final FlowPolicy POLICY = FlowPolicy.shipped();

    private final ConcurrentLinkedQueue<Violation> violations = new ConcurrentLinkedQueue<>();
    private Kernel kernel;
    private TestProbe<Recorded> probe;

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void wire() {
        kernel = new Kernel("meter-A", POLICY, violations::add);
        probe = testKit.createTestProbe(Recorded.class);
    }

    static Behavior<TestMessage> recording(Part at, ActorRef<Recorded> probe) {
        return Behaviors.receiveMessage(m -> {
            probe.tell(new Recorded(at, m));
            return Behaviors.same();
        });
    }

    private ActorRef<Envelope> spawnGuarded(Kernel k, Part part) {
        return testKit.spawn(k.guard(part, TestMessage.class, recording(part, probe.getRef())));
    }

    @Test
    void anAllowedEnvelopeIsDelivered() {
        ActorRef<Envelope> offSwitchSecurity = spawnGuarded(kernel, Part.OffSwitchSecurity);
        Channel<TestMessage> fromCredit = kernel.channel(Part.CreditBalance, Part.OffSwitchSecurity, offSwitchSecurity);

        fromCredit.send(new TestMessage(MessageType.ZeroCredit, "credit exhausted"));

        assertEquals(new Recorded(Part.OffSwitchSecurity, new TestMessage(MessageType.ZeroCredit, "credit exhausted")),
                probe.receiveMessage());
        assertEquals(0, kernel.drops().total());
    }

    @Test
    void aDisallowedTypeIsDroppedCountedReportedAndTheActorKeepsWorking() {
        ActorRef<Envelope> offSwitchSecurity = spawnGuarded(kernel, Part.OffSwitchSecurity);
        Channel<TestMessage> fromCredit = kernel.channel(Part.CreditBalance, Part.OffSwitchSecurity, offSwitchSecurity);

        fromCredit.send(new TestMessage(MessageType.Actuate, "switch off, says a compromised CreditBalance"));
        fromCredit.send(new TestMessage(MessageType.ZeroCredit, "after"));

        assertEquals("after", probe.receiveMessage().message().tag());
        Violation v = violations.poll();
        assertEquals(new Violation("meter-A", Rule.P3, DropReason.NOT_IN_POLICY, Part.CreditBalance,
                Part.OffSwitchSecurity, MessageType.Actuate, "TestMessage"), v);
        assertEquals(1, kernel.drops().count(v.key()));
        assertEquals(1, kernel.drops().total());
    }

    @Test
    void anEnvelopeForAnotherReceiverIsDroppedAsMisrouted() {
        ActorRef<Envelope> display = spawnGuarded(kernel, Part.Display);
        // A wiring bug: the capability says OffSwitchSecurity, the reference is the Display's.
        Channel<TestMessage> miswired = kernel.channel(Part.CreditBalance, Part.OffSwitchSecurity, display);

        miswired.send(new TestMessage(MessageType.ZeroCredit, "lost"));
        kernel.channel(Part.CreditBalance, Part.Display, display).send(new TestMessage(MessageType.CreditFeedback, "after"));

        assertEquals("after", probe.receiveMessage().message().tag());
        Violation v = violations.poll();
        assertEquals(DropReason.MISROUTED, v.reason());
        assertEquals(Part.CreditBalance, v.sender());
        assertEquals(Part.Display, v.receiver());
        assertEquals(1, kernel.drops().total());
    }

    @Test
    void aCapabilityFromAnotherMetersKernelOrNoneAtAllIsForged() {
        ActorRef<Envelope> offSwitchSecurity = spawnGuarded(kernel, Part.OffSwitchSecurity);
        Kernel otherMeter = new Kernel("meter-B", POLICY, ViolationListener.NONE);

        otherMeter.channel(Part.Communications, Part.OffSwitchSecurity, offSwitchSecurity)
                .send(new TestMessage(MessageType.SwitchCommandFrame, "meter B's wiring"));
        offSwitchSecurity.tell(new Envelope(null, MessageType.SwitchCommandFrame, new TestMessage(MessageType.SwitchCommandFrame, "no capability")));
        kernel.channel(Part.Communications, Part.OffSwitchSecurity, offSwitchSecurity)
                .send(new TestMessage(MessageType.SwitchCommandFrame, "after"));

        assertEquals("after", probe.receiveMessage().message().tag());
        List<Violation> seen = List.copyOf(violations);
        assertEquals(2, seen.size());
        for (Violation v : seen) {
            assertEquals(DropReason.FORGED_CAPABILITY, v.reason());
            assertNull(v.sender(), "a forged envelope's claimed sender must not be trusted");
        }
        assertEquals(2, kernel.drops().total());
    }

    @Test
    void aRawMessageWithoutEnvelopeIsDropped() {
        ActorRef<Envelope> clock = spawnGuarded(kernel, Part.Clock);

        clock.unsafeUpcast().tell(new TestMessage(MessageType.ClockSync, "raw"));
        clock.unsafeUpcast().tell("not even a message");
        kernel.channel(Part.CsSecurity, Part.Clock, clock).send(new TestMessage(MessageType.ClockSync, "after"));

        assertEquals("after", probe.receiveMessage().message().tag());
        assertEquals(2, kernel.drops().total());
        assertTrue(violations.stream().allMatch(v -> v.reason() == DropReason.NO_ENVELOPE));
        assertEquals(1, kernel.drops().count(new Violation.DropKey(Rule.P1, "?", "Clock", "String")));
        assertEquals(1, kernel.drops().count(new Violation.DropKey(Rule.P1, "?", "Clock", "ClockSync")));
    }

    @Test
    void wiringAnEdgeThePolicyLacksFailsAtOnce() {
        ActorRef<Envelope> offSwitch = spawnGuarded(kernel, Part.OffSwitch);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> kernel.channel(Part.CreditBalance, Part.OffSwitch, offSwitch));
        assertTrue(e.getMessage().contains("CreditBalance -> OffSwitch"), e.getMessage());
    }
}
