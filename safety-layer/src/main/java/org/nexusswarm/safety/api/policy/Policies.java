package org.nexusswarm.safety.api.policy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.nexusswarm.safety.internal.policy.PolicyRegistry;
import org.nexusswarm.safety.internal.policy.PolicyStore;

/**
 * The policies of a cluster, as the edges read them: each scope's journaled store and the node's published view.
 * Changes go through the signed operator command ({@code OperatorCommands.pushPolicy}).
 */
public final class Policies {

    /** Prefix of a refusal for who proposed a change (not an admitted operator). */
    public static final String FORBIDDEN = PolicyStore.FORBIDDEN;
    /** Prefix of a refusal for what a change says (does not parse, stale version, replayed nonce). */
    public static final String INVALID = PolicyStore.INVALID;

    /** A scope's current journaled policy; version 0 and empty strings when none was ever accepted. */
    public record Current(String scope, long version, String sha256, String text, String operatorDid) {}

    private Policies() {}

    /** Registers the policy stores with Cluster Sharding on this node (idempotent). */
    public static void startStores(ActorSystem<?> system) {
        PolicyStore.init(system);
    }

    /** The journaled policy of {@code scope}. */
    public static CompletionStage<Current> current(ActorSystem<?> system, String scope, Duration timeout) {
        return PolicyStore.ref(system, scope).ask(PolicyStore.GetPolicy::new, timeout)
                .thenApply(c -> new Current(c.scope(), c.version(), c.sha256(), c.text(), c.operatorDid()));
    }

    /** The policy of {@code scope} this node has received and enforces, if any. */
    public static Optional<Policy> published(ActorSystem<?> system, String scope) {
        return PolicyRegistry.get(system).current(scope);
    }

    /** Loads a policy on this node only, without a store (benchmarks, tests, single-node tools). */
    public static void loadLocal(ActorSystem<?> system, Policy policy) {
        PolicyRegistry.get(system).loadLocal(policy);
    }

    /** The persistence id of {@code scope}'s store journal (for journal readers and evidence packs). */
    public static String storePersistenceId(String scope) {
        return PolicyStore.ENTITY_KEY.name() + "|" + scope;
    }
}
