package org.nexusswarm.coordinator.rail;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.packs.Pack;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.policy.Policies;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused;
import org.nexusswarm.safety.api.operator.OperatorCommands;
import org.nexusswarm.safety.api.operator.OperatorTokens;

/**
 * Puts the policy a pack ships for a rail in force, the same way an operator would: a signed change to the
 * rail's journaled policy store, published cluster-wide. A store that already holds this or a newer version
 * keeps it (the text in Cassandra wins over the pack's copy). Blocking edge code.
 */
public final class RailPolicies {

    /** What is in force for the rail after installation. */
    public record Installed(String scope, long version, boolean changed) {}

    private RailPolicies() {}

    public static Optional<Installed> install(ActorSystem<?> system, SwarmKeyPair operator, Pack pack,
            RailBlueprint blueprint, Duration timeout) throws Exception {
        Optional<String> text = pack.policyText(blueprint.name());
        String scope = Policy.railScope(blueprint.name());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        // The same signed operator command an operator's `swarm policy push` sends, through the same authenticator.
        String token = OperatorTokens.sign(operator,
                org.nexusswarm.safety.api.operator.OperatorCommandSettings.audienceOf(system), OperatorCommandKind.POLICY,
                OperatorTokens.body("scope", scope, "text", text.get()));
        boolean changed;
        try {
            OperatorCommands.get(system).pushPolicy(scope, token)
                    .toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            changed = true;
        } catch (java.util.concurrent.ExecutionException e) {
            // Refused as not newer than what the store holds: the journaled policy stays in force.
            boolean stale = OperatorCommandRefused.in(e).map(r -> r.code() == OperatorCommandRefused.Code.INVALID
                    && r.detail().contains("version")).orElse(false);
            if (!stale) {
                throw e;
            }
            changed = false;
        }
        Policies.Current current = Policies.current(system, scope, timeout).toCompletableFuture()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        awaitPublished(system, scope, current.version(), timeout);
        return Optional.of(new Installed(scope, current.version(), changed));
    }

    private static void awaitPublished(ActorSystem<?> system, String scope, long version, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Policies.published(system, scope).map(Policy::version).orElse(0L) < version) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("policy " + scope + "@" + version + " was not published within "
                        + timeout.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }
}
