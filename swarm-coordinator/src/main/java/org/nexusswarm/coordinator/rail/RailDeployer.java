package org.nexusswarm.coordinator.rail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.packs.EntityBlueprint;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.safety.api.credential.Credential;
import org.nexusswarm.safety.api.credential.IssuerKeys;
import org.nexusswarm.safety.api.registry.EntitySpec;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * Deploys a pack's rail onto a node: creates the rail issuer's keys, a key and a signed credential per entity
 * (its action classes, its place, no limits), the signal feed identity, and registers all of it with the node's
 * {@link SafetyRegistry}. Supervisors then start lazily when sharding first routes a message to them.
 *
 * <p>Agents' credentials name the agent's own place; nodes, delegators and orchestrators serve the whole rail, so
 * theirs say {@code *}. With {@code postQuantum} the issuer also gets an ML-DSA-65 key, every credential carries
 * both proofs, and nodes require both ({@code trustIssuer(did, key, true)}).
 *
 * <p>Keys are generated in memory per deployment, so a deployment must be handed to every node that should host
 * the rail (see {@link #deployOnto}). Caveat: {@link DeployedRail} has no field for the issuer's ML-DSA public
 * key, so this class remembers it per issuer DID (public keys only) for {@link #deployOnto} in the same JVM.
 */
public final class RailDeployer {

    private static final Duration CREDENTIAL_VALIDITY = Duration.ofDays(30);
    /** Issuer DID to ML-DSA-65 public key (X.509) of post-quantum rails deployed from this JVM. */
    private static final Map<String, byte[]> PQ_ISSUERS = new ConcurrentHashMap<>();

    private RailDeployer() {}

    /** Creates keys and Ed25519 credentials for {@code blueprint} and deploys it onto {@code registry}. */
    public static DeployedRail deploy(SafetyRegistry registry, RailBlueprint blueprint) {
        return deploy(registry, blueprint, false);
    }

    /**
     * Creates keys and credentials for {@code blueprint} and deploys it onto {@code registry}; with
     * {@code postQuantum} the credentials are hybrid (Ed25519 + ML-DSA-65) and the node requires both proofs.
     */
    public static DeployedRail deploy(SafetyRegistry registry, RailBlueprint blueprint, boolean postQuantum) {
        IssuerKeys issuer = IssuerKeys.generate(postQuantum);
        long now = System.currentTimeMillis();
        List<EntitySpec> specs = new ArrayList<>();
        for (EntityBlueprint e : blueprint.entities()) {
            SwarmKeyPair keys = Ed25519.generate();
            Credential credential = Credential.issue(issuer, blueprint.name() + "/" + e.address().id(), keys.did(),
                    e.allowedActions(), places(e), Credential.Limits.UNLIMITED,
                    now - Duration.ofMinutes(5).toMillis(), now + CREDENTIAL_VALIDITY.toMillis());
            specs.add(new EntitySpec(e.address(), e.place(), blueprint.name(), blueprint.pack(), keys, credential,
                    e.logic()));
        }
        SignalFeed feed = new SignalFeed("feed:" + blueprint.name() + ".sensors", Ed25519.generate());
        DeployedRail rail = new DeployedRail(blueprint, issuer.ed25519(), feed, specs);
        issuer.mlDsaPublicKey().ifPresent(key -> PQ_ISSUERS.put(issuer.did().value(), key));
        deployOnto(registry, rail);
        return rail;
    }

    /** Registers an existing deployment on another node (same keys, same credentials, same PQ requirement). */
    public static void deployOnto(SafetyRegistry registry, DeployedRail rail) {
        Optional<byte[]> pq = issuerMlDsaPublicKey(rail);
        if (pq.isPresent()) {
            registry.trustIssuer(rail.issuer().did(), pq.get(), true);
        } else {
            registry.trustIssuer(rail.issuer().did());
        }
        registry.deployAll(rail.specs());
        registry.identities().admit(rail.feed().keys().did(), rail.feed().name());
    }

    /** The rail issuer's ML-DSA-65 public key (X.509 encoding) when the rail was deployed post-quantum. */
    public static Optional<byte[]> issuerMlDsaPublicKey(DeployedRail rail) {
        return Optional.ofNullable(PQ_ISSUERS.get(rail.issuer().did().value())).map(byte[]::clone);
    }

    private static List<String> places(EntityBlueprint e) {
        return e.address().kind() == EntityKind.AGENT ? List.of(e.place()) : List.of(Credential.ANYWHERE);
    }
}
