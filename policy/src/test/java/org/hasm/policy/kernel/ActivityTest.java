package org.hasm.policy.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.verify.RuleAttribution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A simulation driver may rely on {@link Activity#idle()} only if every counted message is ended exactly once. */
class ActivityTest {
    private static final ActorTestKit testKit = ActorTestKit.create();
    private static final FlowPolicy POLICY = FlowPolicy.shipped();

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static Kernel kernel(Activity activity) {
        return new Kernel("meter-A", POLICY, new RuleAttribution(POLICY), new DropCounter(), v -> { }, activity);
    }

    @Test
    void aMessageIsUnderWayUntilItsReceiverHandledItAndSoIsWhatItCaused() {
        Activity activity = Activity.counting();
        Kernel kernel = kernel(activity);
        TestProbe<Long> pendingSeen = testKit.createTestProbe(Long.class);
        // OffSwitchSecurity reports what is under way while it handles the message
        ActorRef<Envelope> offSwitchSecurity = testKit.spawn(kernel.guard(Part.OffSwitchSecurity, TestMessage.class,
                Behaviors.receiveMessage(m -> {
                    pendingSeen.getRef().tell(activity.pending());
                    return Behaviors.same();
                })));
        Channel<TestMessage> creditToOffSwitch = kernel.channel(Part.CreditBalance, Part.OffSwitchSecurity, offSwitchSecurity);
        // CreditBalance passes what it gets on to OffSwitchSecurity before its own message ends
        ActorRef<Envelope> creditBalance = testKit.spawn(kernel.guard(Part.CreditBalance, TestMessage.class,
                Behaviors.receiveMessage(m -> {
                    creditToOffSwitch.send(new TestMessage(MessageType.ZeroCredit, "from credit"));
                    return Behaviors.same();
                })));
        Channel<TestMessage> computationsToCredit = kernel.channel(Part.Computations, Part.CreditBalance, creditBalance);

        // counted inside send, before the message is even enqueued: it cannot be seen idle before it ran
        computationsToCredit.send(new TestMessage(MessageType.IntervalCost, "cost"));

        assertTrue(pendingSeen.receiveMessage() >= 1, "the message being handled is still under way");
        pendingSeen.awaitAssert(() -> {
            assertTrue(activity.idle(), "both messages ended once handled: " + activity.pending());
            return null;
        });
    }

    @Test
    void droppedAndForgedMessagesLeaveTheCountWhereItWas() {
        Activity activity = Activity.counting();
        Kernel kernel = kernel(activity);
        TestProbe<Recorded> probe = testKit.createTestProbe(Recorded.class);
        ActorRef<Envelope> offSwitchSecurity = testKit.spawn(kernel.guard(Part.OffSwitchSecurity, TestMessage.class,
                GuardTest.recording(Part.OffSwitchSecurity, probe.getRef())));
        Channel<TestMessage> fromCredit = kernel.channel(Part.CreditBalance, Part.OffSwitchSecurity, offSwitchSecurity);

        fromCredit.send(new TestMessage(MessageType.Actuate, "not in the policy: dropped"));
        offSwitchSecurity.unsafeUpcast().tell("no envelope at all");
        offSwitchSecurity.tell(new Envelope(null, MessageType.ZeroCredit, new TestMessage(MessageType.ZeroCredit, "forged")));
        fromCredit.send(new TestMessage(MessageType.ZeroCredit, "last"));

        assertEquals("last", probe.receiveMessage().message().tag(), "the guard kept working");
        probe.awaitAssert(() -> {
            assertTrue(activity.idle(), "two counted, two ended, the forged ones never began: " + activity.pending());
            return null;
        });
    }

    @Test
    void messagesLeavingTheMeterAreCountedPerReceiverNotAsWorkUnderWay() {
        Activity activity = Activity.counting();
        Kernel kernel = kernel(activity);
        TestProbe<Envelope> concentrator = testKit.createTestProbe(Envelope.class);
        Channel<TestMessage> toConcentrator = kernel.channel(Part.Communications, Part.DataConcentrator, concentrator.getRef());

        toConcentrator.send(new TestMessage(MessageType.AggregationShare, "share"));
        toConcentrator.send(new TestMessage(MessageType.CsFrame, "frame"));

        assertEquals(2, activity.sentTo(Part.DataConcentrator));
        assertTrue(activity.idle(), "no guard inside the meter will end them");
        assertEquals(2, concentrator.receiveSeveralMessages(2).size());
    }

    @Test
    void aKernelWithoutActivityCountsNothing() {
        Kernel kernel = kernel(Activity.none());
        TestProbe<Envelope> concentrator = testKit.createTestProbe(Envelope.class);
        kernel.<TestMessage>channel(Part.Communications, Part.DataConcentrator, concentrator.getRef())
                .send(new TestMessage(MessageType.CsFrame, "frame"));
        assertEquals(0, Activity.none().sentTo(Part.DataConcentrator));
        assertEquals(0, Activity.none().pending());
    }

    @Test
    void whenIdleCompletesOnceTheLastPieceEndsAndAtOnceWhenNothingIsUnderWay() {
        Activity activity = Activity.counting();
        assertTrue(activity.whenIdle().isDone(), "nothing under way: idle now");
        activity.begin();
        activity.begin();
        java.util.concurrent.CompletableFuture<Void> idle = activity.whenIdle();
        activity.end();
        assertFalse(idle.isDone(), "one piece is still under way");
        activity.end();
        assertTrue(idle.isDone(), "the thread that ended the last piece told the waiter");
    }
}
