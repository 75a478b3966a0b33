package org.nexusswarm.safety.api.operator;

import java.util.Optional;

/**
 * What a signed operator command asks for: its {@code kind} claim. A token signed for one kind never passes as
 * another (a vote presented as a kill is refused), since the authenticator is always told the kind it expects.
 */
public enum OperatorCommandKind {
    /** Engage the kill switch for a target {@code {scope, name, reason}}; also a Kill sent to an entity. */
    KILL("kill"),
    /** Open a quorum approval to lift an engaged target {@code {scope, name, reason}}. */
    LIFT_REQUEST("lift-request"),
    /** Apply an approved lift {@code {approvalId}}. */
    LIFT("lift"),
    /** Ask a quarantined entity to be released {@code {entity, reason}}. */
    RELEASE("release"),
    /** Revoke a credential {@code {credentialId, reason}}. */
    REVOKE("revoke"),
    /** Replace a scope's policy {@code {scope, text}}. */
    POLICY("policy"),
    /** An approver's vote {@code {approvalId, approve, comment}}. */
    VOTE("vote"),
    /** Make the node that receives it leave the cluster gracefully {@code {node, reason}} ({@code node}: its address). */
    LEAVE("leave"),
    /** Deploy a rail cluster-wide {@code {pack, rail, instance, postQuantum}} (swarm-coordinator's rail registry). */
    RAIL_DEPLOY("rail-deploy"),
    /** Remove a rail instance from the cluster's deployment registry {@code {instance}}. */
    RAIL_UNDEPLOY("rail-undeploy"),
    /** Admit an operator cluster-wide, journaled {@code {did, name}}. */
    ADMIT_OPERATOR("operator-admit"),
    /** Remove an admitted operator cluster-wide, journaled {@code {did}}. */
    REMOVE_OPERATOR("operator-remove");

    private final String claim;

    OperatorCommandKind(String claim) {
        this.claim = claim;
    }

    /** The value of the token's {@code kind} claim. */
    public String claim() {
        return claim;
    }

    public static Optional<OperatorCommandKind> ofClaim(String claim) {
        for (OperatorCommandKind k : values()) {
            if (k.claim.equals(claim)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
