package org.nexusswarm.safety.api.operator;

import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.nexusswarm.safety.api.credential.RevocationList;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused.Code;

/**
 * Revokes a credential cluster-wide from a verified {@link OperatorCommandKind#REVOKE} command
 * {@code {credentialId, reason}}. Unlike the signed {@code credentialId|reason} it replaces, the command carries a
 * nonce and an expiry: a captured revocation cannot be replayed.
 *
 * <p>Persist before effect: the revocation is journaled in the cluster's revocation ledger first (which checks the
 * signed command again), only then written to the replicated {@link RevocationList}, and only then acknowledged. A
 * failed journal write revokes nothing and acknowledges nothing.
 */
public final class RevocationOperations {

    public static final int MAX_REASON_CHARS = 2000;

    /** The credential is revoked ({@code replicated}: whether the write reached the configured consistency). */
    public record Revoked(String credentialId, String operator, boolean replicated) {}

    private final RevocationList revocations;
    private final Function<VerifiedOperatorCommand, CompletionStage<Void>> journal;

    /** {@code journal}: stores the revocation durably and completes only once it is stored. */
    public RevocationOperations(RevocationList revocations,
            Function<VerifiedOperatorCommand, CompletionStage<Void>> journal) {
        this.revocations = revocations;
        this.journal = journal;
    }

    /** The command's credential id, checked (refused {@code MALFORMED}). */
    public static String checkedCredentialId(VerifiedOperatorCommand cmd) {
        String id = cmd.text("credentialId");
        if (id.length() > RevocationList.MAX_ID_CHARS || id.chars().anyMatch(Character::isISOControl)) {
            throw new OperatorCommandRefused(Code.MALFORMED, "credentialId must be 1-" + RevocationList.MAX_ID_CHARS
                    + " printable characters");
        }
        return id;
    }

    /** The command's reason, checked (refused {@code MALFORMED}). */
    public static String checkedReason(VerifiedOperatorCommand cmd) {
        String reason = cmd.text("reason");
        if (reason.length() > MAX_REASON_CHARS) {
            throw new OperatorCommandRefused(Code.MALFORMED, "reason must be 1-" + MAX_REASON_CHARS + " characters");
        }
        return reason;
    }

    public CompletionStage<Revoked> revoke(VerifiedOperatorCommand cmd) {
        KillSwitchOperations.require(cmd, OperatorCommandKind.REVOKE);
        String id = checkedCredentialId(cmd);
        String reason = checkedReason(cmd);
        return journal.apply(cmd)
                .handle((stored, failure) -> {
                    if (failure != null) {
                        throw KillSwitchOperations.unavailable("journaling the revocation of " + id, failure);
                    }
                    return stored;
                })
                .thenCompose(stored -> revocations.revoke(id, cmd.operator() + ": " + reason))
                .handle((done, failure) -> {
                    if (failure != null) {
                        throw KillSwitchOperations.unavailable("revocation of " + id, failure);
                    }
                    return new Revoked(id, cmd.operator(), revocations.replicated());
                });
    }
}
