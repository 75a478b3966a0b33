package org.nexusswarm.coordinator.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.SinkQueueWithCancel;
import org.nexusswarm.memory.journal.JournalEntry;
import org.nexusswarm.packs.admission.PackAdmission;
import org.nexusswarm.safety.api.replay.LogicTimeoutException;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.memory.journal.JournalReader;
import org.nexusswarm.safety.api.replay.UnknownLogicException;
import org.nexusswarm.safety.api.supervisor.SafetyEvent;

/**
 * Streams one entity's journal from Cassandra through a replay, for {@code journal replay} and
 * {@code journal what-if}: opens the connection and a local actor system with the Cassandra read journal (as
 * {@code journal show} does), finds the entity's journal, and feeds its events one by one on the calling thread, so
 * a journal of any length replays in constant memory. A pack refused at admission, an unknown logic or a pack whose
 * code overran the watchdog's cap ends the command with one line.
 */
final class ReplayJournals {

    /** A replay consuming journal events. */
    interface Replay {
        void accept(SafetyEvent event);

        /** True when the rest of the journal no longer matters (stops reading it). */
        boolean done();
    }

    /** The journal that was replayed: its entity, how many events were read, how many broke the hash chain. */
    record Replayed<R extends Replay>(EntityAddress address, R replay, long events, long chainBreaks) {}

    /** Generous: a million-event journal reads in minutes; a hung Cassandra fails the stream before this. */
    private static final Duration MAX_RUN = Duration.ofHours(6);

    private ReplayJournals() {}

    /**
     * Replays the journal of {@code entity} ({@code kind:id}, or an id searched in every kind) with the replay
     * {@code replayFor} makes for the address. Throws {@link UserError} NOT_FOUND when no journal exists or the
     * recorded logic is unknown.
     */
    static <R extends Replay> Replayed<R> replay(CassandraOptions cassandra, String entity,
            java.io.PrintWriter progress, Function<EntityAddress, R> replayFor) throws Exception {
        List<EntityAddress> candidates = candidates(entity);
        Config config = cassandra.loadConfig();
        try (CassandraConnection connection = CassandraConnection.open(config, false, progress)) {
            Config readerConfig = connection.apply(config)
                    .withValue("pekko.actor.provider", ConfigValueFactory.fromAnyRef("local"));
            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "nexus-replay", readerConfig);
            try {
                JournalReader reader = new JournalReader(system,
                        config.getString("nexus.swarm.memory.read-journal-plugin-id"));
                Replayed<R> replayed = replayFirst(reader, system, candidates, replayFor);
                if (replayed != null) {
                    return replayed;
                }
            } finally {
                system.terminate();
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            throw new UserError(ExitCodes.NOT_FOUND, "no journal for " + entity + " in " + connection.describe(config)
                    + ". Check the entity id (e.g. agent:drought-watch.agent-003) with 'swarm journal show'.");
        }
    }

    /** Replays the first of {@code candidates} that has a journal in {@code reader}; null when none has. */
    static <R extends Replay> Replayed<R> replayFirst(JournalReader reader, ActorSystem<?> system,
            List<EntityAddress> candidates, Function<EntityAddress, R> replayFor) throws Exception {
        for (EntityAddress address : candidates) {
            Replayed<R> replayed = replayOne(reader, system, address, replayFor.apply(address));
            if (replayed.events() > 0) {
                return replayed;
            }
        }
        return null;
    }

    /**
     * Pulls the journal's events onto the calling thread (the CLI's main thread) and replays them there: a replay
     * waits for every call into logic code (see {@link org.nexusswarm.safety.api.replay.ReplayCalls}), which must
     * never happen on a thread of the stream's actors.
     */
    private static <R extends Replay> Replayed<R> replayOne(JournalReader reader, ActorSystem<?> system,
            EntityAddress address, R replay) throws Exception {
        long events = 0;
        long chainBreaks = 0;
        long deadline = System.nanoTime() + MAX_RUN.toNanos();
        SinkQueueWithCancel<JournalEntry> queue = reader.stream(address.persistenceId()).runWith(Sink.queue(), system);
        try {
            while (!replay.done()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new UserError(ExitCodes.FAILURE, "replaying " + address + " took longer than " + MAX_RUN);
                }
                Optional<JournalEntry> next = queue.pull().toCompletableFuture().get(left, TimeUnit.NANOSECONDS);
                if (next.isEmpty()) {
                    break;
                }
                JournalEntry entry = next.get();
                events++;
                if (!entry.chainIntact()) {
                    chainBreaks++;
                }
                if (entry.event() instanceof SafetyEvent event) {
                    replay.accept(event);
                }
            }
        } catch (ExecutionException e) {
            String message = String.valueOf(e.getCause().getMessage());
            if (message.contains("does not exist") || message.contains("unconfigured table")) {
                return new Replayed<>(address, replay, 0, 0);
            }
            throw new UserError(ExitCodes.FAILURE, "reading the journal of " + address + " failed: " + message);
        } catch (TimeoutException e) {
            throw new UserError(ExitCodes.FAILURE, "replaying " + address + " took longer than " + MAX_RUN);
        } catch (UnknownLogicException unknown) {
            throw new UserError(ExitCodes.NOT_FOUND, unknown.getMessage() + "; cannot replay " + address + ".");
        } catch (PackAdmission.PackRefusedException refused) {
            throw new UserError(ExitCodes.REFUSED, refused.getMessage() + "; nothing of it runs, so " + address
                    + " is not replayed (see 'swarm packs verify').");
        } catch (LogicTimeoutException overrun) {
            throw new UserError(ExitCodes.FAILURE, "the pack of " + address + ": " + overrun.getMessage()
                    + "; not replayed.");
        } finally {
            queue.cancel();
        }
        return new Replayed<>(address, replay, events, chainBreaks);
    }

    private static List<EntityAddress> candidates(String text) {
        return JournalArguments.candidates(text);
    }

    /** Reads {@code --from}/{@code --to}: an ISO instant, a UTC date-time or date, or epoch milliseconds. */
    static Instant parseTime(String option, String text) {
        return JournalArguments.time(option, text, Instant.now());
    }

    /** The window given by {@code --from} and {@code --to}. */
    static org.nexusswarm.safety.api.replay.ReplayWindow window(String from, String to) {
        try {
            return org.nexusswarm.safety.api.replay.ReplayWindow.of(parseTime("--from", from), parseTime("--to", to));
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
    }
}
