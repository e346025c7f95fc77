package org.hasm.actors.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.hasm.actors.central.CentralSystem;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.central.OperatorGateway;

/** The driver's questions to the central system: each household's account (by meter index) and the operator gateway. */
final class Accounts {
    private final ActorSystem<Void> system;
    private final CentralSystem.Handles central;
    private final IntFunction<String> meterId;

    Accounts(ActorSystem<Void> system, CentralSystem.Handles central, IntFunction<String> meterId) {
        this.system = system;
        this.central = central;
        this.meterId = meterId;
    }

    /** Asks meter {@code i}'s account from the driver thread (not an actor: it may wait). */
    <T> T ask(int i, Function<ActorRef<T>, MeterAccount.Command> question) throws Exception {
        return asking(i, question).get();
    }

    /** What meter {@code i}'s account holds. */
    MeterAccount.AccountView view(int i) throws Exception {
        return this.<MeterAccount.AccountView>ask(i, MeterAccount.GetAccount::new);
    }

    /**
     * Asks the accounts of {@code meters} all at once, the {@code n}th one {@code questionAt(n)}, and returns
     * their answers in that order. One account persists one answer at a time; asked one after the other, a
     * thousand accounts cost a thousand journal round trips of the driver's time, asked together their writes
     * share batches. Each account still gets its questions in the order they are asked, so the logs are the same.
     */
    <T> List<T> askEach(List<Integer> meters, IntFunction<Function<ActorRef<T>, MeterAccount.Command>> questionAt)
            throws Exception {
        List<CompletableFuture<T>> answers = new ArrayList<>(meters.size());
        for (int n = 0; n < meters.size(); n++) {
            answers.add(asking(meters.get(n), questionAt.apply(n)));
        }
        List<T> in = new ArrayList<>(answers.size());
        for (CompletableFuture<T> a : answers) {
            in.add(a.get());
        }
        return in;
    }

    private <T> CompletableFuture<T> asking(int i, Function<ActorRef<T>, MeterAccount.Command> question) {
        String id = meterId.apply(i);
        return AskPattern.<ShardingEnvelope<MeterAccount.Command>, T>ask(central.accounts(),
                replyTo -> new ShardingEnvelope<>(id, question.apply(replyTo)), Waiting.STALL, system.scheduler())
                .toCompletableFuture();
    }

    /** Asks the operator gateway (P16). */
    <T> T askGateway(Function<ActorRef<T>, OperatorGateway.Command> question) throws Exception {
        return AskPattern.ask(central.gateway(), question::apply, Waiting.STALL, system.scheduler()).toCompletableFuture().get();
    }

    /** The gateway's journal so far and how many switch commands it released. */
    OperatorGateway.Status gatewayStatus() throws Exception {
        return askGateway(OperatorGateway.GetStatus::new);
    }

    CentralSystem.Handles central() {
        return central;
    }
}
