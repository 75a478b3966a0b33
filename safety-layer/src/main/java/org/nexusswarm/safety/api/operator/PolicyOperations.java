package org.nexusswarm.safety.api.operator;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused.Code;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.internal.policy.PolicyStore;

/**
 * Pushes a policy from a verified {@link OperatorCommandKind#POLICY} command {@code {scope, text}}: the command
 * goes on to the scope's {@link PolicyStore}, which authenticates it itself (verifies it again, checks the text
 * and version, claims its nonce in the journaled ledger), journals it verbatim and only then publishes the policy.
 * The store's refusals come back as the same typed {@link OperatorCommandRefused}.
 */
public final class PolicyOperations {

    private final ActorSystem<?> system;
    private final Duration askTimeout;

    public PolicyOperations(ActorSystem<?> system, Duration askTimeout) {
        this.system = system;
        this.askTimeout = askTimeout;
    }

    /** The new version; {@code addressed} (e.g. the URL's scope) must be the command's scope. */
    public CompletionStage<Long> push(VerifiedOperatorCommand cmd, String addressed) {
        KillSwitchOperations.require(cmd, OperatorCommandKind.POLICY);
        String scope = cmd.text("scope");
        cmd.text("text");
        if (!Policy.isValidScope(scope)) {
            throw new OperatorCommandRefused(Code.MALFORMED, "'" + scope + "' is not a policy scope: use rail:<name> "
                    + "or pack:<name>");
        }
        if (addressed != null && !addressed.equals(scope)) {
            throw new OperatorCommandRefused(Code.WRONG_TARGET, "the command sets " + scope + ", not " + addressed);
        }
        PolicyStore.init(system);
        return PolicyStore.ref(system, scope)
                .<Long>askWithStatus(replyTo -> new PolicyStore.ProposeSigned(cmd.token(), replyTo), askTimeout)
                .handle((version, failure) -> {
                    if (failure == null) {
                        return version;
                    }
                    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                    String message = String.valueOf(cause.getMessage());
                    if (message.startsWith(PolicyStore.FORBIDDEN)) {
                        throw typed(Code.FORBIDDEN, message.substring(PolicyStore.FORBIDDEN.length()));
                    }
                    if (message.startsWith(PolicyStore.INVALID)) {
                        throw typed(Code.INVALID, message.substring(PolicyStore.INVALID.length()));
                    }
                    throw KillSwitchOperations.unavailable("the policy store of " + scope, failure);
                });
    }

    /** The store's reply {@code CODE: detail} as the refusal it names; {@code fallback} when it names none. */
    static OperatorCommandRefused typed(Code fallback, String reply) {
        int colon = reply.indexOf(": ");
        if (colon > 0) {
            try {
                return new OperatorCommandRefused(Code.valueOf(reply.substring(0, colon)), reply.substring(colon + 2));
            } catch (IllegalArgumentException notACode) {
                // an older store's free text
            }
        }
        return new OperatorCommandRefused(fallback, reply);
    }
}
