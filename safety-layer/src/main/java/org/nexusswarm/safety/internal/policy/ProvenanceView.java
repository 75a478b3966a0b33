package org.nexusswarm.safety.internal.policy;

import java.util.Optional;

/**
 * What the policy engine asks about an intent's cause chain for a {@code require-provenance} rule: which entities
 * within {@code hops} of the cause lack {@code actionClass}. The supervisor answers from the chain its own
 * supervisors built; an intent nobody upstream caused has an empty chain, so nothing lacks.
 */
@FunctionalInterface
public interface ProvenanceView {

    /** The most hops a rule may ask for, and how many hops cause chains keep. */
    int MAX_HOPS = 8;

    /** No upstream cause: the view of callers that decide without an intent (administrative actions, tools). */
    ProvenanceView NONE = (actionClass, hops, sinceStart) -> Optional.empty();

    /**
     * Empty when every entity within {@code hops} of the cause (and, {@code sinceStart}, of every input the logic
     * processed since it started) holds {@code actionClass}; else a detail naming those that lack it and the chain.
     */
    Optional<String> lacking(String actionClass, int hops, boolean sinceStart);
}
