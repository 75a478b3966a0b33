package org.nexusswarm.coordinator.rail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.packs.EntityBlueprint;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.packs.RailOptions;
import org.nexusswarm.safety.api.credential.Credential;
import org.nexusswarm.safety.api.credential.IssuerKeys;
import org.nexusswarm.safety.api.credential.RailSecret;
import org.nexusswarm.safety.api.registry.EntitySpec;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * Deploys a pack's rail onto a node: derives the rail issuer's keys, a key and a signed credential per entity
 * (its action classes, its place, no limits) and the signal feed identity from the rail's {@link RailSecret} and
 * its {@link RailDeployment} record, and registers all of it with the node's {@link SafetyRegistry}. Supervisors
 * then start lazily when sharding first routes a message to them.
 *
 * <p>Every input of the derivation is in the record or the secret (deploy time and validity included, and both
 * Ed25519 and ML-DSA-65 signatures are deterministic), so every node holding the secret derives byte-identical
 * keys and credentials: {@link #host} on another node needs the record and the secret, never this JVM's objects.
 *
 * <p>Agents' credentials name the agent's own place; nodes, delegators and orchestrators serve the whole rail, so
 * theirs say {@code *}. With {@code postQuantum} the issuer also gets an ML-DSA-65 key, every credential carries
 * both proofs, and nodes require both ({@code trustIssuer(did, key, true)}).
 */
public final class RailDeployer {

    static final Duration CREDENTIAL_VALIDITY = Duration.ofDays(30);

    private RailDeployer() {}

    /**
     * Deploys {@code blueprint} onto {@code registry} with a fresh in-memory secret and Ed25519 credentials: the
     * keys are this deployment's alone (tests, demo, benchmarks). See {@link #host} for a shared rail.
     */
    public static DeployedRail deploy(SafetyRegistry registry, RailBlueprint blueprint) {
        return deploy(registry, blueprint, false);
    }

    /** As {@link #deploy(SafetyRegistry, RailBlueprint)}; with {@code postQuantum} the credentials are hybrid. */
    public static DeployedRail deploy(SafetyRegistry registry, RailBlueprint blueprint, boolean postQuantum) {
        RailSecret secret = RailSecret.generate();
        try {
            RailDeployment record = record(blueprint.pack(), blueprint.name(), null, instanceOf(blueprint), secret,
                    postQuantum, System.currentTimeMillis(), 0);
            return host(registry, blueprint, secret, record);
        } finally {
            secret.destroy();
        }
    }

    /**
     * The record of a new deployment of {@code pack/rail} with {@code options} (null: an in-memory deployment
     * that no other node can rebuild) at {@code deployedAt} with {@code policyVersion} in force, naming the
     * issuer {@code secret} derives and signed by it.
     */
    public static RailDeployment record(String pack, String rail, RailOptions options, String instance,
            RailSecret secret, boolean postQuantum, long deployedAt, long policyVersion) {
        IssuerKeys issuer = secret.issuerKeys(instance, postQuantum);
        String mlDsa = issuer.mlDsaPublicKey().map(k -> Base64.getEncoder().encodeToString(k)).orElse("");
        RailDeployment unsigned = options == null
                ? new RailDeployment(pack, rail, instance, 0, 0, 0, 0, 0, 0, deployedAt,
                        CREDENTIAL_VALIDITY.toMillis(), postQuantum, issuer.did().value(), mlDsa, policyVersion, "")
                : new RailDeployment(pack, rail, instance, options.agents(), options.delegators(),
                        options.rogueAgents(), options.replicas(), options.quorum(), options.seed(), deployedAt,
                        CREDENTIAL_VALIDITY.toMillis(), postQuantum, issuer.did().value(), mlDsa, policyVersion, "");
        return unsigned.signedBy(issuer.ed25519());
    }

    /** Derives the rail from {@code secret} and {@code record} (see {@link #derive}) and registers it. */
    public static DeployedRail host(SafetyRegistry registry, RailBlueprint blueprint, RailSecret secret,
            RailDeployment record) {
        DeployedRail rail = derive(blueprint, secret, record);
        deployOnto(registry, rail);
        return rail;
    }

    /**
     * The keys, credentials and specs of {@code blueprint} as {@code secret} derives them for {@code record}.
     * Refuses ({@link RailHostingRefused}) a record for another pack or rail, one whose issuer keys are not the
     * ones {@code secret} derives (a tampered record, or a secret of another rail instance), and one whose issuer
     * signature does not verify (any other field altered).
     */
    public static DeployedRail derive(RailBlueprint blueprint, RailSecret secret, RailDeployment record) {
        String instance = record.instance();
        if (!blueprint.pack().equals(record.pack()) || !blueprint.name().equals(record.rail())) {
            throw new RailHostingRefused(RailHostingRefused.Reason.WRONG_RECORD, instance, "the record is for "
                    + record.railPath() + ", the blueprint is " + blueprint.pack() + "/" + blueprint.name());
        }
        IssuerKeys issuer = check(secret, record);
        List<EntitySpec> specs = new ArrayList<>();
        for (EntityBlueprint e : blueprint.entities()) {
            SwarmKeyPair keys = secret.entityKey(instance, e.address().id());
            Credential credential = Credential.issue(issuer, blueprint.name() + "/" + e.address().id(), keys.did(),
                    e.allowedActions(), places(e), Credential.Limits.UNLIMITED, record.notBefore(), record.notAfter());
            specs.add(new EntitySpec(e.address(), e.place(), blueprint.name(), blueprint.pack(), keys, credential,
                    e.logic()));
        }
        SignalFeed feed = new SignalFeed("feed:" + blueprint.name() + ".sensors", secret.feedKey(instance));
        return new DeployedRail(blueprint, issuer.ed25519(), feed, specs, record);
    }

    /**
     * The issuer {@code secret} derives for {@code record}, once the record names exactly that issuer (Ed25519 and
     * ML-DSA-65 keys) and carries its valid signature; otherwise a {@link RailHostingRefused} (cheap: no blueprint).
     */
    public static IssuerKeys check(RailSecret secret, RailDeployment record) {
        String instance = record.instance();
        IssuerKeys issuer = secret.issuerKeys(instance, record.postQuantum());
        String mlDsa = issuer.mlDsaPublicKey().map(k -> Base64.getEncoder().encodeToString(k)).orElse("");
        if (!issuer.did().value().equals(record.issuerDid()) || !mlDsa.equals(record.issuerMlDsaKey())) {
            throw new RailHostingRefused(RailHostingRefused.Reason.WRONG_ISSUER, instance, "the record names issuer "
                    + record.issuerDid() + " but this node's rail secret (" + secret.fingerprint() + ") derives "
                    + issuer.did().value() + (issuer.did().value().equals(record.issuerDid())
                            ? " with another ML-DSA-65 key" : "")
                    + ": the record was altered, or the secret belongs to another rail instance");
        }
        if (!record.signatureValid()) {
            throw new RailHostingRefused(RailHostingRefused.Reason.WRONG_RECORD, instance, "the record's issuer "
                    + "signature does not verify: it was altered after deployment");
        }
        return issuer;
    }

    /** Registers an existing deployment on a node (same keys, same credentials, same PQ requirement). */
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
        return rail.deployment().issuerMlDsaPublicKey();
    }

    /**
     * The instance of an in-memory deployment, for key derivation only: the entity ids' common prefix before
     * the last '.', or the rail name.
     */
    private static String instanceOf(RailBlueprint blueprint) {
        String id = blueprint.entities().isEmpty() ? "" : blueprint.entities().get(0).address().id();
        int dot = id.lastIndexOf('.');
        return dot > 0 ? id.substring(0, dot) : blueprint.name();
    }

    private static List<String> places(EntityBlueprint e) {
        return e.address().kind() == EntityKind.AGENT ? List.of(e.place()) : List.of(Credential.ANYWHERE);
    }
}
