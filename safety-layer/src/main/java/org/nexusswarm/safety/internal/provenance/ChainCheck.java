package org.nexusswarm.safety.internal.provenance;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.nexusswarm.safety.api.credential.Credential;
import org.nexusswarm.safety.internal.policy.ProvenanceView;

/**
 * Answers a {@code require-provenance} rule for one intent: does every hop of its cause chain, within the rule's
 * hops, hold a credential that grants the action class? A hop the node cannot resolve to a deployed entity with a
 * valid, unrevoked credential (an outside principal, an unknown name, a forged or expired credential) lacks it:
 * fail closed.
 */
public final class ChainCheck implements ProvenanceView {

    private final CauseChain chain;
    private final InputHistory history;
    private final Function<String, Optional<Credential>> validCredentialOf;

    /**
     * @param chain             the cause chain of the input whose step returned the intent
     * @param history           every entity upstream of any input the logic processed since it started
     * @param validCredentialOf the credential of the named hop, only when it is deployed here and its credential
     *                          holds now (issuer signature, subject, not revoked, in its validity window)
     */
    public ChainCheck(CauseChain chain, InputHistory history,
            Function<String, Optional<Credential>> validCredentialOf) {
        this.chain = chain;
        this.history = history;
        this.validCredentialOf = validCredentialOf;
    }

    /** A check of the cause chain alone (no history: a since-start rule sees only the chain). */
    public ChainCheck(CauseChain chain, Function<String, Optional<Credential>> validCredentialOf) {
        this(chain, InputHistory.NONE, validCredentialOf);
    }

    @Override
    public Optional<String> lacking(String actionClass, int hops, boolean sinceStart) {
        java.util.LinkedHashSet<String> considered = new java.util.LinkedHashSet<>(chain.within(hops));
        if (sinceStart) {
            considered.addAll(history.within(hops));
        }
        List<String> lacking = new ArrayList<>();
        if (sinceStart && history.overflowed()) {
            lacking.add("(more than " + InputHistory.MAX_ENTITIES + " upstream entities since start, not all "
                    + "recorded)");
        }
        for (String hop : considered) {
            Optional<Credential> credential = validCredentialOf.apply(hop);
            if (credential.isEmpty()) {
                lacking.add(hop + " (no valid credential known)");
            } else if (!credential.get().allows(actionClass)) {
                lacking.add(hop + " (credential " + credential.get().id() + ")");
            }
        }
        if (lacking.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("'" + actionClass + "' needs every entity within " + hops + " hop(s) of its cause"
                + (sinceStart ? " and of every input since the logic started" : "") + " to hold it; lacking: "
                + String.join(", ", lacking) + "; chain (newest first): " + chain);
    }
}
