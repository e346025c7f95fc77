package org.hasm.policy.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.Envelope;
import org.hasm.policy.kernel.Kernel;
import org.hasm.policy.kernel.PolicyMessage;
import org.hasm.policy.kernel.ViolationListener;

/**
 * Messages per second through a guarded pair of parts (Computations appends to MetrologyLog, which
 * confirms) against the same two behaviours wired with plain actor references, in one JVM and one run.
 * Trials alternate between the two so drift in the machine hits both alike; medians are reported.
 *
 * <pre>./mvnw -q -pl policy test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=org.hasm.policy.bench.GuardBenchmark [-Dexec.args="messages trials"]</pre>
 */
public final class GuardBenchmark {
    private static final int WINDOW = 20_000;
    private static final int ACK_EVERY = 1_000;

    sealed interface Msg extends PolicyMessage permits Append, Persisted, Wire, Start {
    }

    record Append(long n) implements Msg {
        public MessageType messageType() {
            return MessageType.AppendEntry;
        }
    }

    record Persisted(long upTo) implements Msg {
        public MessageType messageType() {
            return MessageType.Persisted;
        }
    }

    /** Benchmark plumbing, delivered to the part itself before the run starts. */
    record Wire(Consumer<Msg> peer) implements Msg {
        public MessageType messageType() {
            return MessageType.Tick;
        }
    }

    record Start(long messages, CompletableFuture<Long> done) implements Msg {
        public MessageType messageType() {
            return MessageType.Tick;
        }
    }

    /** Sends {@code messages} appends keeping at most WINDOW unconfirmed, completes when all are confirmed. */
    static Behavior<Msg> producer() {
        return Behaviors.setup(ctx -> new Object() {
            Consumer<Msg> peer;
            long total;
            long sent;
            CompletableFuture<Long> done;

            Behavior<Msg> behavior() {
                return Behaviors.receive(Msg.class)
                        .onMessage(Wire.class, w -> {
                            peer = w.peer();
                            return Behaviors.same();
                        })
                        .onMessage(Start.class, s -> {
                            total = s.messages();
                            sent = 0;
                            done = s.done();
                            fill(0);
                            return Behaviors.same();
                        })
                        .onMessage(Persisted.class, p -> {
                            if (p.upTo() >= total) {
                                done.complete(p.upTo());
                            } else {
                                fill(p.upTo());
                            }
                            return Behaviors.same();
                        })
                        .build();
            }

            void fill(long confirmed) {
                while (sent < total && sent - confirmed < WINDOW) {
                    peer.accept(new Append(++sent));
                }
            }
        }.behavior());
    }

    static Behavior<Msg> consumer() {
        return Behaviors.setup(ctx -> new Object() {
            Consumer<Msg> peer;

            Behavior<Msg> behavior() {
                return Behaviors.receive(Msg.class)
                        .onMessage(Wire.class, w -> {
                            peer = w.peer();
                            return Behaviors.same();
                        })
                        .onMessage(Append.class, a -> {
                            if (a.n() % ACK_EVERY == 0) {
                                peer.accept(new Persisted(a.n()));
                            }
                            return Behaviors.same();
                        })
                        .build();
            }
        }.behavior());
    }

    interface Pair {
        long run(long messages) throws Exception;
    }

    static Pair unguarded(ActorSystem<Void> system, int id) {
        ActorRef<Msg> producer = system.systemActorOf(producer(), "raw-producer-" + id, org.apache.pekko.actor.typed.Props.empty());
        ActorRef<Msg> consumer = system.systemActorOf(consumer(), "raw-consumer-" + id, org.apache.pekko.actor.typed.Props.empty());
        producer.tell(new Wire(consumer::tell));
        consumer.tell(new Wire(producer::tell));
        return messages -> {
            CompletableFuture<Long> done = new CompletableFuture<>();
            producer.tell(new Start(messages, done));
            return done.get();
        };
    }

    static Pair guarded(ActorSystem<Void> system, int id) {
        Kernel kernel = new Kernel("bench", FlowPolicy.shipped(), ViolationListener.NONE);
        ActorRef<Envelope> producer = system.systemActorOf(kernel.guard(Part.Computations, Msg.class, producer()),
                "guarded-producer-" + id, org.apache.pekko.actor.typed.Props.empty());
        ActorRef<Envelope> consumer = system.systemActorOf(kernel.guard(Part.MetrologyLog, Msg.class, consumer()),
                "guarded-consumer-" + id, org.apache.pekko.actor.typed.Props.empty());
        Channel<Msg> toLog = kernel.channel(Part.Computations, Part.MetrologyLog, consumer);
        Channel<Msg> toComputations = kernel.channel(Part.MetrologyLog, Part.Computations, producer);
        Channel<Msg> producerSelf = kernel.channel(Part.Computations, Part.Computations, producer);
        Channel<Msg> consumerSelf = kernel.channel(Part.MetrologyLog, Part.MetrologyLog, consumer);
        producerSelf.send(new Wire(toLog::send));
        consumerSelf.send(new Wire(toComputations::send));
        return messages -> {
            CompletableFuture<Long> done = new CompletableFuture<>();
            producerSelf.send(new Start(messages, done));
            return done.get();
        };
    }

    public static void main(String[] args) throws Exception {
        long messages = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000;
        int trials = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "guard-bench");
        try {
            Pair raw = unguarded(system, 0);
            Pair guard = guarded(system, 0);
            for (int i = 0; i < 2; i++) { // warm-up: JIT both paths
                raw.run(messages / 2);
                guard.run(messages / 2);
            }
            List<Double> rawRates = new ArrayList<>();
            List<Double> guardedRates = new ArrayList<>();
            for (int i = 0; i < trials; i++) {
                rawRates.add(rate(raw, messages));
                guardedRates.add(rate(guard, messages));
            }
            double rawMedian = median(rawRates);
            double guardedMedian = median(guardedRates);
            System.out.printf(Locale.ROOT, "guard benchmark: %,d messages per trial, %d trials, %d cores, Java %s%n",
                    messages, trials, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            System.out.printf(Locale.ROOT, "unguarded pair : %,12.0f msg/s (median)%n", rawMedian);
            System.out.printf(Locale.ROOT, "guarded pair   : %,12.0f msg/s (median)%n", guardedMedian);
            System.out.printf(Locale.ROOT, "ratio          : %.1f %% (target >= 80 %%)%n", 100 * guardedMedian / rawMedian);
        } finally {
            system.terminate();
        }
    }

    private static double rate(Pair pair, long messages) throws Exception {
        long start = System.nanoTime();
        pair.run(messages);
        return messages / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
