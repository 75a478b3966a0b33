package org.nexusswarm.coordinator.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * The baseline for journaled decisions: plain Pekko event sourcing, no safety layer. Each command persists the same
 * number of events of the same size as a supervised decision writes (measured from the supervised run's
 * journals), in one {@code persistAll}, and is answered once they are stored; the same number of senders each wait
 * for their own entity, on the same node and the same Cassandra. The ratio of the two runs is what the safety
 * layer costs on the journaled path.
 */
public final class PlainJournaledBaseline {

    private PlainJournaledBaseline() {}

    /** A decision: persist the events, then answer. */
    record Decide(ActorRef<Done> replyTo) {}

    /** How many events (on average: spread evenly over the commands) of what size one command persists. */
    public record Shape(double eventsPerDecision, int bytesPerEvent) {}

    private static final class Entity extends EventSourcedBehavior<Decide, BenchMessages.Blob, Long> {
        private final List<BenchMessages.Blob> events;
        private final double perDecision;
        private long commands;

        Entity(PersistenceId id, Shape shape) {
            super(id);
            this.perDecision = shape.eventsPerDecision();
            List<BenchMessages.Blob> blobs = new ArrayList<>();
            for (int i = 0; i < (int) Math.ceil(perDecision); i++) {
                byte[] bytes = new byte[shape.bytesPerEvent()];
                java.util.Arrays.fill(bytes, (byte) (i + 1));
                blobs.add(new BenchMessages.Blob(bytes));
            }
            this.events = Collections.unmodifiableList(blobs);
        }

        @Override
        public Long emptyState() {
            return 0L;
        }

        @Override
        public CommandHandler<Decide, BenchMessages.Blob, Long> commandHandler() {
            return newCommandHandlerBuilder().forAnyState().onCommand(Decide.class, cmd -> {
                // Command n persists floor(r(n+1)) - floor(rn) events: r per command on average.
                int n = (int) (Math.floor(perDecision * (commands + 1)) - Math.floor(perDecision * commands));
                commands++;
                if (n == 0) {
                    return Effect().none().thenRun(s -> cmd.replyTo().tell(Done.getInstance()));
                }
                return Effect().persist(events.subList(0, n)).thenRun(s -> cmd.replyTo().tell(Done.getInstance()));
            }).build();
        }

        @Override
        public EventHandler<Long, BenchMessages.Blob> eventHandler() {
            return newEventHandlerBuilder().forAnyState().onAnyEvent((state, e) -> state + 1);
        }
    }

    /** {@code senders} entities, each driven by one sender waiting for each answer, for {@code duration}. */
    public static JournaledBenchmark.Decisions run(ActorSystem<?> system, Shape shape, int senders, Duration duration)
            throws Exception {
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<ActorRef<Decide>> entities = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            PersistenceId id = PersistenceId.of("bench-plain", run + "-" + i);
            entities.add(system.systemActorOf(new Entity(id, shape), "bench-plain-" + run + "-" + i, Props.empty()));
        }
        Duration timeout = Duration.ofSeconds(30);
        for (ActorRef<Decide> e : entities) {
            ask(system, e, timeout).get(60, TimeUnit.SECONDS); // recovery and a first write before the clock runs
        }
        ConcurrentHistogram histogram = new ConcurrentHistogram(3);
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (ActorRef<Decide> e : entities) {
            loops.add(loop(system, e, timeout, end, histogram, done));
        }
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(duration.toSeconds() + 120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        entities.forEach(e -> system.classicSystem().stop(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(e)));
        return new JournaledBenchmark.Decisions(done.get(), seconds, histogram);
    }

    private static CompletableFuture<Void> loop(ActorSystem<?> system, ActorRef<Decide> target, Duration timeout,
            long end, ConcurrentHistogram histogram, AtomicLong done) {
        if (System.nanoTime() > end) {
            return CompletableFuture.completedFuture(null);
        }
        long sent = System.nanoTime();
        return ask(system, target, timeout).thenCompose(ok -> {
            histogram.recordValue((System.nanoTime() - sent) / 1000);
            done.incrementAndGet();
            return loop(system, target, timeout, end, histogram, done);
        });
    }

    private static CompletableFuture<Done> ask(ActorSystem<?> system, ActorRef<Decide> target, Duration timeout) {
        return AskPattern.<Decide, Done>ask(target, Decide::new, timeout, system.scheduler()).toCompletableFuture();
    }
}
