package org.nexusswarm.safety.api.credential;

import org.nexusswarm.actors.protocol.RefusalCode;

/**
 * Why a credential is unusable: {@link RefusalCode#EXPIRED}, {@link RefusalCode#NOT_YET_VALID}, or
 * {@link RefusalCode#NOT_IN_CREDENTIAL} (untrusted issuer, wrong subject, a missing or invalid proof).
 * Revocation ({@link RefusalCode#REVOKED}) is checked separately, against the {@link RevocationList}.
 */
public record CredentialProblem(RefusalCode code, String detail) {

    @Override
    public String toString() {
        return code + ": " + detail;
    }
}
