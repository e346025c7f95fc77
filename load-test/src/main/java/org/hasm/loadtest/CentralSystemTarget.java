package org.hasm.loadtest;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.hasm.actors.central.CentralSystem;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.link.CentralSystemLink.DeliverFrame;
import org.hasm.actors.link.CentralSystemLink.FrameDelivered;

/**
 * What both targets do once they hold the central system's handles, wherever it runs: hand frames to its inbox,
 * pass the accounts' {@link FrameDelivered}s on, and ask the accounts what they counted since the load began.
 */
public abstract class CentralSystemTarget implements CentralTarget {
    static final Duration ASK_TIMEOUT = Duration.ofSeconds(60);

    public final ActorSystem<Void> system;
    final CentralSystem.Handles central;
    private final ActorRef<FrameDelivered> acknowledgements;
    /** Each account as it stood before the load; a meter not in it counts from zero. */
    private final Map<String, MeterAccount.AccountView> baseline = new ConcurrentHashMap<>();
    private volatile LongConsumer listener = id -> { };

    CentralSystemTarget(ActorSystem<Void> system, CentralSystem.Handles central) {
        this.system = system;
        this.central = central;
        this.acknowledgements = system.systemActorOf(AcknowledgementRelay.create(id -> listener.accept(id)),
                "load-test-acknowledgements", Props.empty());
    }

    @Override
    public void onAcknowledgement(LongConsumer acknowledged) {
        this.listener = acknowledged;
    }

    @Override
    public void deliver(long deliveryId, String meterId, byte[] frame) {
        central.inbox().tell(new DeliverFrame(deliveryId, meterId, frame, acknowledgements));
    }

    /** The accounts' counts since their {@link #baseline} (all of them for a meter it does not hold). */
    @Override
    public Tally tally(Collection<String> meterIds) {
        long readings = 0;
        Map<String, Long> refusals = new TreeMap<>();
        for (Map.Entry<String, CompletableFuture<MeterAccount.AccountView>> e : ask(meterIds, ASK_TIMEOUT).entrySet()) {
            MeterAccount.AccountView v = e.getValue().join();
            MeterAccount.AccountView before = baseline.get(e.getKey());
            readings += v.readings() - (before == null ? 0 : before.readings());
            v.refusals().forEach((cause, n) -> refusals.merge(cause,
                    n - (before == null ? 0 : before.refusals().getOrDefault(cause, 0L)), Long::sum));
        }
        refusals.values().removeIf(n -> n == 0);
        return new Tally(readings, refusals);
    }

    /** Remembers where an account stood before the load, so that {@link #tally} counts from there. */
    void baseline(String meterId, MeterAccount.AccountView view) {
        baseline.put(meterId, view);
    }

    /** Each account's view, asked all at once; the caller waits on them (never an actor thread). */
    Map<String, CompletableFuture<MeterAccount.AccountView>> ask(Collection<String> meterIds, Duration timeout) {
        Map<String, CompletableFuture<MeterAccount.AccountView>> views = new TreeMap<>();
        for (String id : meterIds) {
            views.put(id, AskPattern.<ShardingEnvelope<MeterAccount.Command>, MeterAccount.AccountView>ask(central.accounts(),
                    replyTo -> new ShardingEnvelope<>(id, new MeterAccount.GetAccount(replyTo)), timeout,
                    system.scheduler()).toCompletableFuture());
        }
        return views;
    }
}
