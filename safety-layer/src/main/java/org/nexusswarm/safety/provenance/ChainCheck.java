package org.nexusswarm.safety.provenance;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.nexusswarm.safety.credential.Credential;
import org.nexusswarm.safety.policy.ProvenanceView;

/**
 * Answers a {@code require-provenance} rule for one intent: does every hop of its cause chain, within the rule's
 * hops, hold a credential that grants the action class? A hop the node cannot resolve to a deployed entity with a
 * valid, unrevoked credential (an outside principal, an unknown name, a forged or expired credential) lacks it:
 * fail closed.
 */
public final class ChainCheck implements ProvenanceView {

    private final CauseChain chain;
    private final Function<String, Optional<Credential>> validCredentialOf;

    /**
     * @param validCredentialOf the credential of the named hop, only when it is deployed here and its credential
     *                          holds now (issuer signature, subject, not revoked, in its validity window)
     */
    public ChainCheck(CauseChain chain, Function<String, Optional<Credential>> validCredentialOf) {
        this.chain = chain;
        this.validCredentialOf = validCredentialOf;
    }

    @Override
    public Optional<String> lacking(String actionClass, int hops) {
        List<String> considered = chain.within(hops);
        List<String> lacking = new ArrayList<>();
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
        return Optional.of("'" + actionClass + "' needs every entity within " + hops + " hop(s) of its cause to "
                + "hold it; lacking: " + String.join(", ", lacking) + "; chain (newest first): " + chain);
    }
}
