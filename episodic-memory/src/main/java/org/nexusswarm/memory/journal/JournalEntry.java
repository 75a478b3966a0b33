package org.nexusswarm.memory.journal;

import org.nexusswarm.memory.chronotope.Chronotope;

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
        Object event) {}
