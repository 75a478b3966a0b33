package org.nexusswarm.memory.journal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentPersistenceIdsQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.nexusswarm.memory.chronotope.EpisodeStart;

/**
 * A reviewer's timeline across journals (by kind, rail, pack, place and time window), as one stream ordered by
 * the hybrid logical clock, then persistence id and sequence number ({@link JournalEntry#TIMELINE_ORDER}).
 *
 * <p><b>Why not events-by-tag.</b> Cassandra's eventsByTag reads time buckets behind a moving offset and can
 * miss an event written late with an older timestamp (a node with a lagging clock, a delayed write); the
 * project keeps it disabled. Instead this enumerates the journals as they are now ({@code currentPersistenceIds},
 * kept by the Cassandra plugin in its {@code all_persistence_ids} table), reads each matching journal in full
 * with {@code currentEventsByPersistenceId} and filters on the chronotope. Every event present when the query
 * runs is seen, whenever it was written; the cost is reading whole journals of the selected entities (select
 * by kind and rail to keep it down).
 *
 * <p><b>Memory.</b> Each journal is already in clock order (the clock never goes backwards in a journal), so the
 * journals are combined by a k-way merge (a balanced tree of {@code mergeSorted} stages), never by sorting the
 * result. All matching journals are read at once: memory is bounded by the number of matching journals times
 * one page of the plugin's reads plus the stream buffers, not by the number of events; the ids of the matching
 * journals are collected first (a list of strings).
 */
public final class TimelineQuery {

    private final JournalReader reader;
    private final Supplier<Source<String, NotUsed>> persistenceIds;
    private final ActorSystem<?> system;

    /**
     * A query over the given journals; {@code persistenceIds} lists the candidates (for read journals that
     * cannot enumerate their journals, such as the persistence testkit's).
     */
    public TimelineQuery(ActorSystem<?> system, JournalReader reader, Supplier<Source<String, NotUsed>> persistenceIds) {
        this.system = system;
        this.reader = reader;
        this.persistenceIds = persistenceIds;
    }

    /** A query over every journal of the read journal {@code pluginId}, which must list its persistence ids. */
    public static TimelineQuery over(ActorSystem<?> system, String pluginId) {
        ReadJournal journal = PersistenceQuery.get(system).getReadJournalFor(ReadJournal.class, pluginId);
        if (!(journal instanceof CurrentPersistenceIdsQuery ids)) {
            throw new IllegalArgumentException("read journal " + pluginId + " cannot list its persistence ids");
        }
        return new TimelineQuery(system, new JournalReader(system, pluginId), ids::currentPersistenceIds);
    }

    /** The selected events of every selected journal, merged into one timeline. */
    public Source<JournalEntry, NotUsed> timeline(JournalFilter filter) {
        return Source.completionStageSource(persistenceIds.get()
                        .filter(filter::selectsJournal)
                        .runWith(Sink.seq(), system)
                        .thenApply(ids -> merge(ids.stream().sorted().map(id -> journal(id, filter)).toList())))
                .mapMaterializedValue(m -> NotUsed.getInstance());
    }

    /** The ids of the journals a filter selects by id (kind and rail), sorted. */
    public java.util.concurrent.CompletionStage<List<String>> journals(JournalFilter filter) {
        return persistenceIds.get().filter(filter::selectsJournal).runWith(Sink.seq(), system)
                .thenApply(ids -> ids.stream().sorted().toList());
    }

    /** One journal's selected events, in journal order (hash chain checked over the whole journal first). */
    private Source<JournalEntry, NotUsed> journal(String persistenceId, JournalFilter filter) {
        Source<JournalEntry, NotUsed> events = reader.stream(persistenceId);
        if (filter.pack() != null) {
            // The pack in force is the one named by the latest start event so far; before one, the id decides.
            events = events
                    .statefulMap(
                            () -> Optional.ofNullable(filter.packFromId(persistenceId)),
                            (pack, e) -> {
                                Optional<String> now = e.event() instanceof EpisodeStart s ? Optional.of(s.pack()) : pack;
                                return Pair.create(now, Pair.create(now, e));
                            },
                            pack -> Optional.empty())
                    .filter(p -> p.first().filter(filter.pack()::equals).isPresent())
                    .map(Pair::second);
        }
        return events.filter(filter::selectsEvent);
    }

    /** A k-way merge: a balanced tree of pairwise merges, each of two already ordered streams. */
    static Source<JournalEntry, NotUsed> merge(List<Source<JournalEntry, NotUsed>> sources) {
        if (sources.isEmpty()) {
            return Source.empty();
        }
        if (sources.size() == 1) {
            return Objects.requireNonNull(sources.get(0));
        }
        int half = sources.size() / 2;
        return merge(sources.subList(0, half)).mergeSorted(merge(sources.subList(half, sources.size())),
                JournalEntry.TIMELINE_ORDER);
    }
}
