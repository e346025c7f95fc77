package org.hasm.actors.sim;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.hasm.actors.central.CentralLocator;
import org.hasm.actors.central.CentralSystem;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.cluster.ConcentratorHost;
import org.hasm.actors.cluster.DownlinkRouter;
import org.hasm.actors.concentrator.DataConcentrator;
import org.hasm.actors.concentrator.MeterBridge;
import org.hasm.actors.fleet.NeighbourhoodPlan;
import org.hasm.actors.fleet.SeededFleet;
import org.hasm.actors.meter.Meter;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Activity;
import org.hasm.policy.kernel.Envelope;
import org.hasm.actors.sim.scenario.SimulationSettings;

/**
 * The meters on this node (role meters) and the concentrator and the central system on nodes of their roles
 * in the same cluster ({@code hasm simulate --processes 3}), which derive keys and groups from the same seed
 * ({@link NeighbourhoodPlan}). The meters reach the concentrator through this node's {@link MeterBridge}.
 */
final class AcrossNodes extends Topology {
    /** How long the meters node waits for the central system and the concentrator host to be listed in the cluster. */
    private static final Duration JOINING = Duration.ofSeconds(60);
    /** How long a provisioned account, on a central node already listed, may take to answer (it recovers first). */
    private static final Duration ACCOUNT_CHECK = Duration.ofSeconds(15);

    /** What the bridge to the concentrator's node has passed each way. */
    private final MeterBridge.Counters bridge;
    /** This node's bridge to the concentrator. */
    private final ActorRef<Object> meterBridge;
    /** The central node's downlink router, asked how many frames for meters it passed on. */
    private final ActorRef<DownlinkRouter.GetPassedOn> downlinkRouters;

    private AcrossNodes(ActorSystem<Void> system, Activity activity, CentralSystem.Handles central,
                        ConcentratorHost.Started started, MeterBridge.Counters bridge,
                        ActorRef<DownlinkRouter.GetPassedOn> downlinkRouters) {
        super(system, activity, central, started.concentrator(), started.feeder(), started.line());
        this.bridge = bridge;
        this.downlinkRouters = downlinkRouters;
        this.meterBridge = system.systemActorOf(MeterBridge.create(concentrator, bridge), "meter-bridge", Props.empty());
    }

    /**
     * Finds the central system and a concentrator host in the cluster this node joined, checks that the
     * central node was started for this run, and has the host make (or hand over) the concentrator, which
     * reports to {@code inbox}.
     *
     * @throws Neighbourhood.ClusterMismatch when the other nodes were not started for this scenario
     */
    static AcrossNodes join(ActorSystem<Void> system, SimulationSettings settings, boolean paillier, DriverInbox inbox,
                            Activity activity) throws Exception {
        CentralSystem.Handles central = CentralLocator.locate(system, List.of(NeighbourhoodPlan.CONCENTRATOR), JOINING)
                .toCompletableFuture().get();
        inbox.keepAlertsIn(central.fraudAlerts().get(NeighbourhoodPlan.CONCENTRATOR));
        checkProvisioned(system, central, SeededFleet.meterId(settings.meters() - 1));
        ActorRef<ConcentratorHost.Command> host;
        try {
            host = CentralLocator.first(system, ConcentratorHost.KEY, JOINING).get();
        } catch (ExecutionException e) {
            throw new Neighbourhood.ClusterMismatch("the cluster listed no concentrator node within " + JOINING.toSeconds()
                    + " s: start one with 'hasm node --role concentrator --seed HOST:PORT'");
        }
        ConcentratorHost.Started started = AskPattern.<ConcentratorHost.Command, ConcentratorHost.Started>ask(host,
                replyTo -> new ConcentratorHost.StartConcentrator(settings.seed(), settings.meters(), paillier, inbox.aggregates,
                        inbox.fraudAlerts, inbox.intake, replyTo), JOINING, system.scheduler()).toCompletableFuture().get();
        if (started.refusal() != null) {
            throw new Neighbourhood.ClusterMismatch("the concentrator node did not start the concentrator: " + started.refusal());
        }
        ActorRef<DownlinkRouter.GetPassedOn> routers = CentralLocator.first(system, DownlinkRouter.ROUTERS, JOINING).get();
        return new AcrossNodes(system, activity, central, started, MeterBridge.Counters.fresh(), routers);
    }

    /** An account the central node was not provisioned for refuses frames and answers no questions. */
    private static void checkProvisioned(ActorSystem<Void> system, CentralSystem.Handles central, String last)
            throws Exception {
        try {
            AskPattern.<ShardingEnvelope<MeterAccount.Command>, MeterAccount.AccountView>ask(central.accounts(),
                    replyTo -> new ShardingEnvelope<>(last, new MeterAccount.GetAccount(replyTo)), ACCOUNT_CHECK, system.scheduler())
                    .toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw new Neighbourhood.ClusterMismatch("the central node has no account for meter " + last + " (no answer within "
                    + ACCOUNT_CHECK.toSeconds() + " s): start it with this run's --scenario, --meters and --seed-keys");
        }
    }

    @Override
    ActorRef<Envelope> toConcentrator() {
        return meterBridge.narrow();
    }

    @Override
    void attach(String id, String group, int index, Meter.Handle handle) {
        meterBridge.tell(new MeterBridge.Attach(id, group, index, handle.from(Part.DataConcentrator, Part.Communications)));
    }

    @Override
    void settle() throws Exception {
        concentratorDrained();
    }

    /**
     * Messages between two actors keep their order, but an account's frame for its meter passes its node's
     * downlink router while its confirmation goes straight to the line, so each hop is checked by counts,
     * downstream in order: every envelope the meters sent has passed the bridge and reached the concentrator,
     * which holds no frame; the line has passed on every frame the router passed on (the router is asked after
     * the concentrator: a confirmation it has means its account's frames were in the router's mailbox before
     * the question); the bridge has handed the meters everything the concentrator sent them; and the meters
     * are idle again. What is still on its way between the nodes makes the caller wait again.
     */
    @Override
    boolean quiet() throws Exception {
        if (!activity.idle() || bridge.envelopes().sum() != activity.sentTo(Part.DataConcentrator)) {
            return false;
        }
        DataConcentrator.Statistics before = concentratorStatistics();
        DataConcentrator.BridgeTally tallyBefore = bridgeTally();
        if (tallyBefore.received() != bridge.forwarded().sum() || before.queued() != 0 || before.inFlight() != 0) {
            return false;
        }
        long passedOn = AskPattern.<DownlinkRouter.GetPassedOn, DownlinkRouter.PassedOn>ask(downlinkRouters,
                DownlinkRouter.GetPassedOn::new, Waiting.STALL, system.scheduler()).toCompletableFuture().get().frames();
        if (lineSynced().framesToMeters() != passedOn) {
            return false;
        }
        DataConcentrator.Statistics after = concentratorStatistics();
        DataConcentrator.BridgeTally tallyAfter = bridgeTally();
        return tallyAfter.sent() == bridge.delivered().sum() && tallyAfter.received() == tallyBefore.received()
                && after.inFlight() == 0 && after.queued() == 0
                && activity.idle() && bridge.envelopes().sum() == activity.sentTo(Part.DataConcentrator);
    }

    /** What passed between the concentrator and this node's bridge, as the concentrator counts it. */
    private DataConcentrator.BridgeTally bridgeTally() throws Exception {
        return AskPattern.<Object, DataConcentrator.BridgeTally>ask(concentrator,
                replyTo -> new DataConcentrator.GetBridgeTally(meterBridge.narrow(), replyTo), Waiting.STALL, system.scheduler())
                .toCompletableFuture().get();
    }
}
