package org.nexusswarm.memory.journal;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.nexusswarm.memory.chronotope.EpisodeEvent;
import org.nexusswarm.memory.chronotope.HashChain;

/**
 * Reads an episode journal back through Pekko Persistence Query, checking the hash chain as it streams.
 *
 * <p>Works with any read journal that implements {@link CurrentEventsByPersistenceIdQuery} (Cassandra in the
 * product, the persistence testkit in unit tests). Streams: memory use does not grow with the journal.
 */
public final class JournalReader {

    private final ActorSystem<?> system;
    private final CurrentEventsByPersistenceIdQuery query;

    public JournalReader(ActorSystem<?> system, String readJournalPluginId) {
        this.system = system;
        this.query = PersistenceQuery.get(system)
                .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, readJournalPluginId);
    }

    /** The journal of {@code persistenceId} as it is now, each event checked against its predecessor. */
    public Source<JournalEntry, NotUsed> stream(String persistenceId) {
        return query.currentEventsByPersistenceId(persistenceId, 0L, Long.MAX_VALUE)
                .statefulMap(
                        () -> HashChain.GENESIS,
                        (previousHash, envelope) -> toEntry(previousHash, envelope),
                        previousHash -> Optional.empty());
    }

    /** Collects a journal into a list (for short journals and tests; use {@link #stream} for long ones). */
    public CompletionStage<List<JournalEntry>> readAll(String persistenceId) {
        return stream(persistenceId).runWith(Sink.seq(), system);
    }

    /**
     * One event of a journal, with its link to the predecessor checked (the predecessor is read too; the rest
     * of the chain is not: use {@link #stream} to check a whole journal). Empty when there is no such event.
     */
    public CompletionStage<Optional<JournalEntry>> event(String persistenceId, long sequenceNr) {
        if (sequenceNr < 1) {
            return java.util.concurrent.CompletableFuture.completedFuture(Optional.empty());
        }
        return query.currentEventsByPersistenceId(persistenceId, Math.max(1, sequenceNr - 1), sequenceNr)
                .runWith(Sink.seq(), system)
                .thenApply(envelopes -> {
                    String previousHash = HashChain.GENESIS;
                    for (EventEnvelope envelope : envelopes) {
                        Pair<String, JournalEntry> read = toEntry(previousHash, envelope);
                        if (envelope.sequenceNr() == sequenceNr) {
                            return Optional.of(read.second());
                        }
                        previousHash = read.first();
                    }
                    return Optional.empty();
                });
    }

    private static Pair<String, JournalEntry> toEntry(String previousHash, EventEnvelope envelope) {
        Object event = envelope.event();
        if (event instanceof EpisodeEvent e) {
            boolean intact = HashChain.linksTo(e, previousHash);
            JournalEntry entry = new JournalEntry(envelope.persistenceId(), envelope.sequenceNr(),
                    envelope.timestamp(), e.type(), e.details(), e.chronotope(), intact, e);
            return Pair.create(HashChain.hashOf(e), entry);
        }
        JournalEntry foreign = new JournalEntry(envelope.persistenceId(), envelope.sequenceNr(),
                envelope.timestamp(), event.getClass().getSimpleName(), String.valueOf(event), null, false, event);
        return Pair.create(previousHash, foreign);
    }
}
