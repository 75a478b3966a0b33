package org.nexusswarm.safety.api.policy;


/**
 * Journaled by the {@link PolicyStore} when it accepts a change: the audit trail of who set which policy
 * text, under which version. Only after this event is persisted is the policy published.
 *
 * @param sha256    hex SHA-256 of {@code text}
 * @param nonce     the operator's nonce (kept so replays stay refused after recovery)
 * @param signature the operator's Ed25519 signature over the change, base64, for later verification
 */
public record PolicyChanged(String scope, long version, String sha256, String text, String operatorDid, long nonce,
        String signature) implements PolicyStoreEvent {}
