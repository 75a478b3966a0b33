package org.nexusswarm.coordinator.rail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.packs.EntityBlueprint;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.safety.credential.Credential;
import org.nexusswarm.safety.registry.EntitySpec;
import org.nexusswarm.safety.registry.SafetyRegistry;

/**
 * Deploys a pack's rail onto a node: creates the rail issuer key, a key and a signed credential per entity
 * (its allow-list of action classes), the signal feed identity, and registers all of it with the node's
 * {@link SafetyRegistry}. Supervisors then start lazily when sharding first routes a message to them.
 *
 * <p>Keys are generated in memory per deployment; a keystore on disk comes with the credential layer. So a
 * deployment must be handed to every node that should host the rail (see {@link #deployOnto}).
 */
public final class RailDeployer {

    private static final Duration CREDENTIAL_VALIDITY = Duration.ofDays(30);

    private RailDeployer() {}

    /** Creates keys and credentials for {@code blueprint} and deploys it onto {@code registry}. */
    public static DeployedRail deploy(SafetyRegistry registry, RailBlueprint blueprint) {
        SwarmKeyPair issuer = Ed25519.generate();
        long now = System.currentTimeMillis();
        List<EntitySpec> specs = new ArrayList<>();
        for (EntityBlueprint e : blueprint.entities()) {
            SwarmKeyPair keys = Ed25519.generate();
            Credential credential = Credential.issue(issuer, blueprint.name() + "/" + e.address().id(), keys.did(),
                    e.allowedActions(), now - Duration.ofMinutes(5).toMillis(), now + CREDENTIAL_VALIDITY.toMillis());
            specs.add(new EntitySpec(e.address(), e.place(), blueprint.name(), blueprint.pack(), keys, credential,
                    e.logic()));
        }
        SignalFeed feed = new SignalFeed("feed:" + blueprint.name() + ".sensors", Ed25519.generate());
        DeployedRail rail = new DeployedRail(blueprint, issuer, feed, specs);
        deployOnto(registry, rail);
        return rail;
    }

    /** Registers an existing deployment on another node (same keys, same credentials). */
    public static void deployOnto(SafetyRegistry registry, DeployedRail rail) {
        registry.trustIssuer(rail.issuer().did());
        registry.deployAll(rail.specs());
        registry.identities().admit(rail.feed().keys().did(), rail.feed().name());
    }
}
