package org.hasm.policy.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.hasm.policy.Flow;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A compromised CreditBalance is handed raw references to all sixteen parts of its meter and tries
 * every message type on each of them every way it can: bare, in an envelope without capability, with
 * another meter's capabilities, and through its own genuine channels. Only what the policy allows
 * CreditBalance to send may arrive anywhere.
 */
class CompromisedModuleTest {
    private static final ActorTestKit testKit = ActorTestKit.create();
    private static final String MARKER = "marker";

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void nothingOffPolicyGetsThrough() {
        FlowPolicy policy = FlowPolicy.shipped();
        ConcurrentLinkedQueue<Violation> violations = new ConcurrentLinkedQueue<>();
        Kernel kernel = new Kernel("meter-A", policy, violations::add);
        Kernel otherMeter = new Kernel("meter-B", policy, ViolationListener.NONE);
        TestProbe<Recorded> probe = testKit.createTestProbe(Recorded.class);

        Map<Part, ActorRef<Envelope>> parts = new EnumMap<>(Part.class);
        for (Part p : Part.values()) {
            if (p.isInternal()) {
                parts.put(p, testKit.spawn(kernel.guard(p, TestMessage.class, GuardTest.recording(p, probe.getRef()))));
            }
        }
        assertEquals(16, parts.size());

        Part attacker = Part.CreditBalance;
        long sent = 0;
        Set<Flow> sentOnOwnChannels = new HashSet<>();
        for (Map.Entry<Part, ActorRef<Envelope>> target : parts.entrySet()) {
            Part receiver = target.getKey();
            ActorRef<Envelope> ref = target.getValue();
            Channel<TestMessage> own = policy.connects(attacker, receiver) ? kernel.channel(attacker, receiver, ref) : null;
            Channel<TestMessage> stolen = receiver == attacker ? null
                    : otherMeter.channel(policyPredecessor(policy, receiver), receiver, ref);
            for (MessageType type : MessageType.values()) {
                TestMessage m = new TestMessage(type, "attack");
                ref.unsafeUpcast().tell(m);
                ref.tell(new Envelope(null, type, m));
                sent += 2;
                if (stolen != null) {
                    stolen.send(m);
                    sent++;
                }
                if (own != null) {
                    own.send(m);
                    sent++;
                    sentOnOwnChannels.add(new Flow(attacker, receiver, type));
                }
            }
        }

        // One genuine message per part from a sender the policy allows; per-sender ordering means that once
        // every marker has arrived, every attack message before it has been judged.
        for (Map.Entry<Part, ActorRef<Envelope>> target : parts.entrySet()) {
            Part receiver = target.getKey();
            Part sender = policyPredecessor(policy, receiver);
            MessageType type = policy.typesOn(sender, receiver).iterator().next();
            kernel.channel(sender, receiver, target.getValue()).send(new TestMessage(type, MARKER));
        }

        Set<Flow> delivered = new HashSet<>();
        long deliveredAttacks = 0;
        int markers = 0;
        while (markers < parts.size()) {
            Recorded r = probe.receiveMessage();
            if (r.message().tag().equals(MARKER)) {
                markers++;
            } else {
                deliveredAttacks++;
                delivered.add(new Flow(attacker, r.at(), r.message().messageType()));
            }
        }

        Set<Flow> allowed = new HashSet<>();
        for (Flow f : sentOnOwnChannels) {
            if (policy.allows(f.sender(), f.receiver(), f.type())) {
                allowed.add(f);
            }
        }
        assertEquals(allowed, delivered, "exactly the attacker's own allowed flows arrive, nothing else");
        assertEquals(allowed.size(), deliveredAttacks);
        assertTrue(delivered.stream().noneMatch(f -> f.receiver() == Part.OffSwitch));
        assertEquals(sent - deliveredAttacks, kernel.drops().total());
        assertEquals(sent - deliveredAttacks, violations.size());
    }

    /** Some part the policy allows to send to {@code receiver}. */
    private static Part policyPredecessor(FlowPolicy policy, Part receiver) {
        for (Part p : Part.values()) {
            if (p != receiver && policy.connects(p, receiver)) {
                return p;
            }
        }
        throw new AssertionError(receiver + " receives nothing in the policy");
    }
}
