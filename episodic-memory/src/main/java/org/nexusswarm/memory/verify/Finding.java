package org.nexusswarm.memory.verify;

/**
 * One thing a journal verification found.
 *
 * @param sequenceNr the sequence number the finding is about (the row, event or checkpoint)
 * @param kind       what kind of damage (or caveat) it is
 * @param severity   {@link Severity#ERROR} breaks the journal; {@link Severity#WARNING} limits what was proven
 * @param message    one reviewer-readable line, starting with the sequence number
 */
public record Finding(long sequenceNr, Kind kind, Severity severity, String message) {

    public enum Severity { ERROR, WARNING }

    public enum Kind {
        /** An event's content changed: its hash no longer matches what the next event or a checkpoint recorded. */
        CHANGED,
        /** An event's previousHash does not name its predecessor. */
        BROKEN_LINK,
        /** Sequence numbers missing from storage (deleted rows). */
        MISSING,
        /** A sequence number stored twice. */
        DUPLICATE,
        /** A row holds an event written under another sequence number. */
        MOVED,
        /** A row holds an event that was not part of the journal as written. */
        INSERTED,
        /** Two events exchanged places. */
        SWAPPED,
        /** A checkpoint's Merkle root does not match the events it covers. */
        ROOT_MISMATCH,
        /** A checkpoint covers another range than the events since the previous checkpoint. */
        CHECKPOINT_RANGE,
        /** A checkpoint's signature does not verify. */
        SIGNATURE_INVALID,
        /** A checkpoint is signed by a key that is not (known to be) a node's. */
        UNTRUSTED_SIGNER,
        /** A row whose bytes no longer deserialize. */
        UNREADABLE,
        /** A row that holds something other than an episode event (no chronotope, no hash link). */
        NOT_EPISODE,
        /** A checkpoint whose root could not be checked (an event in its range is unreadable). */
        ROOT_UNCHECKED,
        /** Events after the last checkpoint: protected by the hash chain only. */
        TAIL
    }

    static Finding error(long seq, Kind kind, String message) {
        return new Finding(seq, kind, Severity.ERROR, message);
    }

    static Finding warning(long seq, Kind kind, String message) {
        return new Finding(seq, kind, Severity.WARNING, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }
}
