package org.nexusswarm.safety.api.operator;

import java.util.concurrent.CompletionStage;
import org.nexusswarm.safety.internal.durable.DurableSafetyState;

/**
 * Admits and removes operators cluster-wide from verified {@link OperatorCommandKind#ADMIT_OPERATOR}
 * {@code {did, name}} and {@link OperatorCommandKind#REMOVE_OPERATOR} {@code {did}} commands, signed by an operator
 * already admitted. Persist before effect: the operator ledger journals the change (checking the signed command
 * again, and refusing a DID that is an entity's key or an operator removing itself) before this node's identity
 * directory changes and before the answer; other nodes apply it at their next refresh and every node at start.
 */
public final class OperatorRosterOperations {

    /** {@code did} is an operator named {@code operator:name} cluster-wide, admitted by {@code by}. */
    public record Admitted(String did, String name, String by) {}

    /** {@code did} is no longer an operator, removed by {@code by}. */
    public record Removed(String did, String by) {}

    private final DurableSafetyState journal;

    public OperatorRosterOperations(DurableSafetyState journal) {
        this.journal = journal;
    }

    public CompletionStage<Admitted> admit(VerifiedOperatorCommand cmd) {
        KillSwitchOperations.require(cmd, OperatorCommandKind.ADMIT_OPERATOR);
        String did = cmd.text("did");
        String name = cmd.text("name");
        return journal.admitOperator(cmd.token(), did, name).handle((done, failure) -> {
            if (failure != null) {
                throw KillSwitchOperations.unavailable("admitting operator " + name, failure);
            }
            return new Admitted(did, OperatorTokenVerifier.OPERATOR_PREFIX + name, cmd.operator());
        });
    }

    public CompletionStage<Removed> remove(VerifiedOperatorCommand cmd) {
        KillSwitchOperations.require(cmd, OperatorCommandKind.REMOVE_OPERATOR);
        String did = cmd.text("did");
        return journal.removeOperator(cmd.token(), did).handle((done, failure) -> {
            if (failure != null) {
                throw KillSwitchOperations.unavailable("removing operator " + did, failure);
            }
            return new Removed(did, cmd.operator());
        });
    }
}
