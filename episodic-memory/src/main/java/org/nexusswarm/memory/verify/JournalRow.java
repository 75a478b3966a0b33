package org.nexusswarm.memory.verify;

/**
 * One row of a journal as stored, in storage order: its sequence number and what its bytes hold. A row
 * whose bytes do not deserialize is kept as {@link Unreadable}, so the verifier can name it instead of the
 * reader failing.
 */
public sealed interface JournalRow {

    /** The row's {@code sequence_nr} (the key it is stored under, not what the event claims). */
    long sequenceNr();

    /** A row that deserialized into {@code event}. */
    record Event(long sequenceNr, Object event) implements JournalRow {}

    /** A row whose bytes could not be turned back into an event; {@code error} says why. */
    record Unreadable(long sequenceNr, int serializerId, String manifest, String error) implements JournalRow {}
}
