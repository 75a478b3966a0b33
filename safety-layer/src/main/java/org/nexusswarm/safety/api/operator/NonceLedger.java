package org.nexusswarm.safety.api.operator;

import java.util.concurrent.CompletionStage;

/** Where used operator-command nonces are remembered; {@link OperatorNonces} journals them. */
@FunctionalInterface
public interface NonceLedger {
    /**
     * Claims {@code jti} of {@code issuerDid} until {@code expiresAtMillis}. Completes once the claim is durable;
     * fails with {@link OperatorCommandRefused} ({@code REPLAYED} when it was claimed before, {@code UNAVAILABLE}
     * when the ledger cannot say).
     */
    CompletionStage<Void> claim(String issuerDid, String jti, long expiresAtMillis);
}
