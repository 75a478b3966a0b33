package org.nexusswarm.safety.api.operator;

import java.util.concurrent.CompletionStage;
import org.nexusswarm.safety.api.credential.RevocationList;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused.Code;

/**
 * Revokes a credential cluster-wide from a verified {@link OperatorCommandKind#REVOKE} command
 * {@code {credentialId, reason}}. Unlike the signed {@code credentialId|reason} it replaces, the command carries a
 * nonce and an expiry: a captured revocation cannot be replayed.
 */
public final class RevocationOperations {

    public static final int MAX_REASON_CHARS = 2000;

    /** The credential is revoked ({@code replicated}: whether the write reached the configured consistency). */
    public record Revoked(String credentialId, String operator, boolean replicated) {}

    private final RevocationList revocations;

    public RevocationOperations(RevocationList revocations) {
        this.revocations = revocations;
    }

    public CompletionStage<Revoked> revoke(VerifiedOperatorCommand cmd) {
        KillSwitchOperations.require(cmd, OperatorCommandKind.REVOKE);
        String id = cmd.text("credentialId");
        String reason = cmd.text("reason");
        if (id.length() > RevocationList.MAX_ID_CHARS || id.chars().anyMatch(Character::isISOControl)) {
            throw new OperatorCommandRefused(Code.MALFORMED, "credentialId must be 1-" + RevocationList.MAX_ID_CHARS
                    + " printable characters");
        }
        if (reason.length() > MAX_REASON_CHARS) {
            throw new OperatorCommandRefused(Code.MALFORMED, "reason must be 1-" + MAX_REASON_CHARS + " characters");
        }
        return revocations.revoke(id, cmd.operator() + ": " + reason).handle((done, failure) -> {
            if (failure != null) {
                throw KillSwitchOperations.unavailable("revocation of " + id, failure);
            }
            return new Revoked(id, cmd.operator(), revocations.replicated());
        });
    }
}
