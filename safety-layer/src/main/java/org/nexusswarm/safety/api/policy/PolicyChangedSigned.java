package org.nexusswarm.safety.api.policy;

/**
 * Journaled by the {@link PolicyStore} when it accepts a policy pushed as a signed operator command: the audit
 * trail, with the command itself ({@code token}, a compact JWS an auditor can verify again against
 * {@code operatorDid}).
 *
 * @param sha256 hex SHA-256 of {@code text}
 * @param jti    the command's nonce (spent in the operator-command replay guard)
 * @param token  the signed command, verbatim
 */
public record PolicyChangedSigned(String scope, long version, String sha256, String text, String operatorDid,
        String jti, String token) implements PolicyStoreEvent {

    @Override
    public String toString() {
        return "PolicyChangedSigned(" + scope + "@" + version + " by " + operatorDid + ", jti " + jti + ")";
    }
}
