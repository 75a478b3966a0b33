package org.nexusswarm.memory.evidence;

/**
 * One thing a verification found: an error (the pack cannot be relied on) or a warning (a limit of what
 * the pack proves, e.g. events no checkpoint covers).
 */
public record Finding(Severity severity, Kind kind, String message) {

    public enum Severity { ERROR, WARNING }

    /** What failed; stable names for tools reading {@code --json}. */
    public enum Kind {
        EMPTY_FILE, TRUNCATED, MALFORMED_JSON, BAD_STRUCTURE, UNKNOWN_FORMAT,
        SEAL_MISMATCH, SEAL_SIGNATURE_INVALID,
        SUBJECT_MISMATCH, SEQUENCE_GAP, EVENT_FIELDS_MISMATCH, EVENT_HASH_MISMATCH, CHAIN_BROKEN,
        CHECKPOINT_OUTSIDE_PACK, CHECKPOINT_NOT_JOURNALED, CHECKPOINT_ROOT_MISMATCH, CHECKPOINT_SIGNATURE_INVALID,
        SIGNERS_MISMATCH, UNTRUSTED_SIGNER, SIGNERS_NOT_CHECKED, UNCOVERED_EVENTS,
        CREDENTIAL_HASH_MISMATCH, CREDENTIAL_NOT_CITED, CREDENTIAL_UNBOUND,
        POLICY_HASH_MISMATCH, POLICY_NOT_CITED, POLICY_TEXT_MISSING,
        INCLUSION_PROOFS_UNSUPPORTED,
        /** The verifier itself failed on this input (a bug: please report it); the pack is treated as invalid. */
        VERIFIER_FAILURE
    }

    static Finding error(Kind kind, String message) {
        return new Finding(Severity.ERROR, kind, message);
    }

    static Finding warning(Kind kind, String message) {
        return new Finding(Severity.WARNING, kind, message);
    }

    @Override
    public String toString() {
        return severity + " " + kind + ": " + message;
    }
}
