package org.nexusswarm.memory.journal;

import java.util.Comparator;
import java.util.List;
import org.nexusswarm.memory.chronotope.Chronotope;
import org.nexusswarm.memory.chronotope.EpisodeEvent;
import org.nexusswarm.memory.chronotope.HashChain;
import org.nexusswarm.memory.chronotope.HybridLogicalClock;

/**
 * One event as a reviewer sees it, read back from the journal.
 *
 * @param chainIntact whether the event links to its predecessor's hash (false marks the first broken link)
 * @param chronotope  the event's chronotope, or null for an event that is not an episode event
 * @param event       the event as read (an {@link org.nexusswarm.memory.chronotope.EpisodeEvent} for journals
 *                    of supervisors)
 */
public record JournalEntry(
        String persistenceId,
        long sequenceNr,
        long timestampMillis,
        String type,
        String details,
        Chronotope chronotope,
        boolean chainIntact,
        Object event) {

    /**
     * The order of a timeline across journals: hybrid logical clock, then persistence id, then sequence number.
     * Total, and consistent with each journal's own order because the clock never goes backwards in a journal.
     */
    public static final Comparator<JournalEntry> TIMELINE_ORDER = Comparator.comparingLong(JournalEntry::hlc)
            .thenComparing(JournalEntry::persistenceId)
            .thenComparingLong(JournalEntry::sequenceNr);

    /** The hybrid logical clock; for an event without a chronotope, the journal's write time as a clock value. */
    public long hlc() {
        return chronotope != null ? chronotope.hlc() : HybridLogicalClock.pack(timestampMillis, 0);
    }

    /** When the event happened at the deciding node; the journal's write time if it has no chronotope. */
    public long wallTimeMillis() {
        return chronotope != null ? chronotope.wallTimeMillis() : timestampMillis;
    }

    /** The place, or "" when unknown. */
    public String place() {
        return chronotope != null ? chronotope.place() : "";
    }

    /** The causes in text form ({@code persistenceId#seq} or {@code external:who}). */
    public List<String> causes() {
        return chronotope != null ? chronotope.causes() : List.of();
    }

    /** The entity as users write it ({@code agent:x} for persistence id {@code agent|x}). */
    public String entity() {
        return entityOf(persistenceId);
    }

    /** The event's hash in the chain, or "" for an event that is not an episode event. */
    public String hash() {
        return event instanceof EpisodeEvent e ? HashChain.hashOf(e) : "";
    }

    /** {@code kind:id} for {@code kind|id}: how the command line names entities. */
    public static String entityOf(String persistenceId) {
        int bar = persistenceId.indexOf('|');
        return bar < 0 ? persistenceId : persistenceId.substring(0, bar) + ":" + persistenceId.substring(bar + 1);
    }
}
