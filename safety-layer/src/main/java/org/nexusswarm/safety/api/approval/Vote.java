package org.nexusswarm.safety.api.approval;

/**
 * One approver's vote, in either stored form: {@link SignedVote} (the earlier signed-bytes format, still read from
 * journals) or {@link TokenVote} (a signed operator command of kind {@code vote}). Both are journaled verbatim and
 * re-verifiable from the journal alone.
 */
public interface Vote {
    String approvalId();

    String approverDid();

    boolean approve();

    /** Grows per approver on one request (a {@link TokenVote}: its issue time in milliseconds). */
    long nonce();

    String comment();

    /** True only when the vote's signature verifies against the approver's key and covers these fields. */
    boolean signatureValid();

    /** What identifies this exact vote for replay detection (its signature). */
    String replayKey();
}
