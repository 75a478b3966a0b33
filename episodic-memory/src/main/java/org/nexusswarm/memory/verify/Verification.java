package org.nexusswarm.memory.verify;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of verifying one journal.
 *
 * @param rows           rows read (events, readable or not)
 * @param checkpoints    checkpoint events among them
 * @param tailEvents     events after the last checkpoint (protected by the hash chain only)
 * @param errors         number of error findings (may exceed the findings kept)
 * @param findings       findings in sequence order, the first {@value JournalVerifier#MAX_FINDINGS} at most
 */
public record Verification(String persistenceId, Verdict verdict, long rows, long checkpoints, long tailEvents,
        long errors, List<Finding> findings) {

    public enum Verdict { OK, BROKEN }

    public Verification {
        findings = List.copyOf(findings);
    }

    public boolean intact() {
        return verdict == Verdict.OK;
    }

    /** The first broken link: the error with the lowest sequence number. */
    public Optional<Finding> firstError() {
        return findings.stream().filter(Finding::isError).findFirst();
    }
}
