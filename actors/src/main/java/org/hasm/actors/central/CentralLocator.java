package org.hasm.actors.central;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Routers;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.hasm.actors.link.CentralSystemLink.FrameForMeter;
import org.hasm.actors.link.CentralSystemLink.DeliverFrame;
import org.hasm.actors.link.ClusterSettings;

/**
 * Finds the central system from any other node of the cluster (a concentrator node, a load generator):
 *
 * <pre>{@code
 * CentralLocator.locate(system, List.of("dc-1"), Duration.ofSeconds(30))
 *         .thenAccept(central -> central.inbox().tell(new DeliverFrame(1, "m00000", frame, replyTo)));
 * }</pre>
 *
 * <p>The answer comes once the Receptionist lists a central inbox, the operator gateway and the fraud-alert
 * ledger of every concentrator asked for; it fails with a {@link TimeoutException} after {@code within}.
 * Nothing blocks: it is safe to call from an actor (pipe the stage to yourself). Each handle in the answer
 * is a local router that follows the Receptionist's listing, so it outlives the central node it first found;
 * the accounts are a sharding proxy on the calling node. Call it on a node without the role {@code central}; a central
 * node has the handles from {@link CentralSystem#start}.
 *
 * <p>Concentrators register their downlink under {@link #DOWNLINK}: the central node's accounts send
 * acknowledgements and commands for meters there.
 */
public final class CentralLocator {
    /** Every central node's inbox: any of them routes a frame to the meter's account. */
    public static final ServiceKey<DeliverFrame> INBOX = ServiceKey.create(DeliverFrame.class, "hasm-central-inbox");
    /** The operator gateway (a singleton; each central node lists its proxy). */
    public static final ServiceKey<OperatorGateway.Command> GATEWAY =
            ServiceKey.create(OperatorGateway.Command.class, "hasm-operator-gateway");
    /** Where a concentrator takes frames for its meters from the central system. */
    public static final ServiceKey<FrameForMeter> DOWNLINK = ServiceKey.create(FrameForMeter.class, "hasm-meter-downlink");

    private static final AtomicLong LOOKUPS = new AtomicLong();

    private CentralLocator() {
    }

    /** The fraud-alert ledger of one concentrator (a singleton; each central node lists its proxy). */
    public static ServiceKey<FraudAlertLedger.Command> fraudAlertLedger(String concentratorId) {
        return ServiceKey.create(FraudAlertLedger.Command.class,
                "hasm-fraud-alert-ledger-" + URLEncoder.encode(concentratorId, StandardCharsets.UTF_8));
    }

    /**
     * The central system's handles, once every one of them is listed.
     *
     * @param concentrators the concentrators whose fraud-alert ledgers to find (may be empty)
     */
    public static CompletionStage<CentralSystem.Handles> locate(ActorSystem<?> system, List<String> concentrators,
                                                                Duration within) {
        if (Cluster.get(system).selfMember().hasRole(ClusterSettings.CENTRAL)) {
            throw new IllegalArgumentException("this node has the role central: take the handles from CentralSystem.start");
        }
        Map<String, ServiceKey<FraudAlertLedger.Command>> ledgers = new HashMap<>();
        concentrators.forEach(c -> ledgers.put(c, fraudAlertLedger(c)));
        CompletableFuture<ActorRef<DeliverFrame>> inbox = first(system, INBOX, within);
        CompletableFuture<ActorRef<OperatorGateway.Command>> gateway = first(system, GATEWAY, within);
        Map<String, CompletableFuture<ActorRef<FraudAlertLedger.Command>>> found = new HashMap<>();
        ledgers.forEach((c, key) -> found.put(c, first(system, key, within)));
        List<CompletableFuture<?>> waited = new java.util.ArrayList<>(List.of(inbox, gateway));
        waited.addAll(found.values());
        return CompletableFuture.allOf(waited.toArray(CompletableFuture[]::new))
                .handle((done, failure) -> {
                    if (failure != null) {
                        List<String> missing = new java.util.ArrayList<>();
                        if (inbox.isCompletedExceptionally()) {
                            missing.add("inbox");
                        }
                        if (gateway.isCompletedExceptionally()) {
                            missing.add("operator gateway");
                        }
                        found.forEach((c, f) -> {
                            if (f.isCompletedExceptionally()) {
                                missing.add("fraud-alert ledger of " + c);
                            }
                        });
                        throw new java.util.concurrent.CompletionException(new TimeoutException("the cluster listed no "
                                + String.join(", ", missing) + " within " + within.toSeconds()
                                + " s: is a node of role central up in this cluster?"));
                    }
                    Map<String, ActorRef<FraudAlertLedger.Command>> alerts = new HashMap<>();
                    ledgers.forEach((c, key) -> alerts.put(c, router(system, key)));
                    return new CentralSystem.Handles(router(system, INBOX), CentralSystem.accountsProxy(system),
                            router(system, GATEWAY), Map.copyOf(alerts));
                });
    }

    /**
     * A local group router over what the Receptionist lists under {@code key}: it follows the listing, so a
     * central node that crashes or leaves stops getting messages once the cluster has removed it, and one that
     * joins starts getting them. What was sent to a node just before it died is lost with it: the sender
     * sends again what stays unconfirmed (docs/cluster.md).
     */
    private static <T> ActorRef<T> router(ActorSystem<?> system, ServiceKey<T> key) {
        return system.systemActorOf(Routers.group(key).withRoundRobinRouting(),
                "central-router-" + LOOKUPS.incrementAndGet(), Props.empty());
    }

    /** Completes with the first instance the Receptionist lists under {@code key}; fails after {@code within}. */
    public static <T> CompletableFuture<ActorRef<T>> first(ActorSystem<?> system, ServiceKey<T> key, Duration within) {
        CompletableFuture<ActorRef<T>> result = new CompletableFuture<>();
        result.orTimeout(within.toMillis(), TimeUnit.MILLISECONDS);
        system.systemActorOf(awaitListed(key, result), "central-locator-" + LOOKUPS.incrementAndGet(), Props.empty());
        return result;
    }

    /** Told when the answer is settled elsewhere (timed out): the waiting actor stops. */
    private enum GiveUp {
        INSTANCE
    }

    /** Subscribes to {@code key} and stops once a listing has an instance, or once nobody waits any more. */
    private static <T> Behavior<Object> awaitListed(ServiceKey<T> key, CompletableFuture<ActorRef<T>> result) {
        return Behaviors.setup(context -> {
            context.getSystem().receptionist().tell(Receptionist.subscribe(key, context.getSelf().narrow()));
            result.whenComplete((r, e) -> context.getSelf().tell(GiveUp.INSTANCE));
            return Behaviors.receive(Object.class)
                    .onMessage(Receptionist.Listing.class, listing -> {
                        // the lowest path, so every caller picks the same instance of a stable listing
                        listing.getServiceInstances(key).stream()
                                .min(java.util.Comparator.comparing(r -> r.path().toString()))
                                .ifPresent(result::complete);
                        return result.isDone() ? Behaviors.stopped() : Behaviors.same();
                    })
                    .onMessageEquals(GiveUp.INSTANCE, Behaviors::stopped)
                    .build();
        });
    }
}
