package org.nexusswarm.memory.journal;

/**
 * One step of a causal chain: an event (or an outside cause) that led, directly or through others, to the
 * decision at depth 0.
 *
 * @param depth   0 for the decision itself, 1 for its direct causes, and so on
 * @param ref     the reference as written ({@code persistenceId#seq}, or {@code external:who})
 * @param kind    what the reference led to
 * @param entry   the event, for {@link Kind#EVENT}; null otherwise
 * @param causeOf the reference of the event that named this one as its cause ("" for the decision)
 */
public record CausalLink(int depth, String ref, Kind kind, JournalEntry entry, String causeOf) {

    public enum Kind {
        /** An event read from its journal. */
        EVENT,
        /** Something outside the swarm (a signal feed, an operator): the chain ends here. */
        EXTERNAL,
        /** The referenced event is not in its journal (deleted, or never written): worth a reviewer's look. */
        MISSING,
        /** A cause text that is neither form; kept so nothing is silently dropped. */
        UNREADABLE
    }
}
