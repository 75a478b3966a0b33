package org.nexusswarm.coordinator.rail;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.packs.Pack;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.policy.PolicyChange;
import org.nexusswarm.safety.api.policy.Policies;

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
        PolicyChange change = PolicyChange.sign(operator, scope, text.get(), System.currentTimeMillis());
        boolean changed;
        try {
            Policies.propose(system, change, timeout).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            changed = true;
        } catch (java.util.concurrent.ExecutionException e) {
            // Refused as not newer than what the store holds: the journaled policy stays in force.
            if (!String.valueOf(e.getCause().getMessage()).contains("version")) {
                throw e;
            }
            changed = false;
        }
        Policies.Current current = Policies.current(system, scope, timeout).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
