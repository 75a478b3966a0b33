package org.nexusswarm.safety.api.registry;

import org.nexusswarm.safety.internal.registry.EntityRouter;
import org.nexusswarm.safety.internal.registry.SafetyServices;


import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.IdentityDirectory;
import org.nexusswarm.safety.api.credential.TrustedIssuers;

/**
 * Per-node registry of what the safety layer trusts and hosts: deployed entity specs, admitted sender
 * identities, trusted credential issuers, and the router to other entities.
 *
 * <p>A Pekko extension, so sharded supervisors created anywhere on the node find it by system. Every node
 * of a cluster must deploy the same rails (deployment is deterministic from the pack and rail options);
 * cluster-wide distribution of admissions and revocations is the credential layer's job.
 */
public final class SafetyRegistry implements Extension {

    public static final ExtensionId<SafetyRegistry> ID = new ExtensionId<>() {
        @Override
        public SafetyRegistry createExtension(ActorSystem<?> system) {
            SafetyRegistry registry = new SafetyRegistry(SafetySettings.from(system.settings().config()));
            // Until the node installs its authenticator: this system's limits and audience.
            registry.services().useOperatorCommands(new org.nexusswarm.safety.api.operator.OperatorTokenVerifier(
                    registry.identities(), java.time.Clock.systemUTC(), org.nexusswarm.safety.api.operator
                            .OperatorCommandSettings.from(system.settings().config(), system.name())));
            return registry;
        }
    };

    private final SafetySettings settings;
    private final IdentityDirectory identities = new IdentityDirectory();
    private final Map<EntityAddress, EntitySpec> specs = new ConcurrentHashMap<>();
    private final Set<String> trustedIssuers = ConcurrentHashMap.newKeySet();
    /** Issuers trusted with an ML-DSA-65 key (a subset of {@code trustedIssuers}). */
    private final Map<String, TrustedIssuers.Entry> pqIssuers = new ConcurrentHashMap<>();
    private final SafetyServices services = new SafetyServices(identities);
    private volatile java.time.Clock clock = java.time.Clock.systemUTC();
    private volatile EntityRouter router = (target, message) -> {
        throw new IllegalStateException("no entity router installed on this node (boot the swarm node first)");
    };

    private SafetyRegistry(SafetySettings settings) {
        this.settings = settings;
    }

    public static SafetyRegistry get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    public SafetySettings settings() {
        return settings;
    }

    public IdentityDirectory identities() {
        return identities;
    }

    /** Deploys an entity: its DID becomes an admitted sender and a supervisor can now host it. */
    public void deploy(EntitySpec spec) {
        specs.put(spec.address(), spec);
        identities.admit(spec.signer().did(), spec.address().toString());
        // Session keys derive from the entity's key, so every node hosting the spec holds the same ones; the
        // signed announcement lets peers MAC envelopes to it instead of signing each one.
        String name = spec.address().toString();
        org.nexusswarm.safety.internal.auth.SessionKeys session = org.nexusswarm.safety.internal.auth.SessionKeys.of(name,
                spec.signer().deriveSecret(SESSION_KEY_LABEL));
        services.hostSessionKeys(spec.address(), session);
        services.peerKeys().admit(org.nexusswarm.safety.internal.auth.SessionKeyAnnouncement.sign(spec.signer(), name, session,
                System.currentTimeMillis()));
    }

    /** HKDF label of an entity's X25519 session key. */
    public static final String SESSION_KEY_LABEL = "nexus-x25519-session-v1";

    public void deployAll(Collection<EntitySpec> all) {
        all.forEach(this::deploy);
    }

    public Optional<EntitySpec> spec(EntityAddress address) {
        return Optional.ofNullable(specs.get(address));
    }

    public List<EntitySpec> specs() {
        return List.copyOf(specs.values());
    }

    public void trustIssuer(Did issuer) {
        trustedIssuers.add(issuer.value());
    }

    public Set<String> trustedIssuers() {
        return Set.copyOf(trustedIssuers);
    }

    /**
     * Trusts {@code issuer} with its ML-DSA-65 public key (X.509 encoding, or null) and whether its rail requires
     * post-quantum proofs (then every credential it issued needs a valid ML-DSA-65 proof as well). Replaces an
     * earlier PQ entry for the issuer. Throws {@link IllegalArgumentException} for a key that is not ML-DSA-65, or
     * {@code requirePq} without a key.
     */
    public void trustIssuer(Did issuer, byte[] mlDsaPublicKey, boolean requirePq) {
        TrustedIssuers.Entry entry = TrustedIssuers.none().with(issuer, mlDsaPublicKey, requirePq)
                .entry(issuer.value()).orElseThrow();
        pqIssuers.put(issuer.value(), entry);
        trustedIssuers.add(issuer.value());
    }

    /** Every trusted issuer with its post-quantum settings: what {@code Credential.check} needs. */
    public TrustedIssuers trusted() {
        TrustedIssuers trusted = TrustedIssuers.ed25519Only(trustedIssuers);
        for (TrustedIssuers.Entry entry : pqIssuers.values()) {
            trusted = trusted.with(entry);
        }
        return trusted;
    }

    /** Policies, revocations, kill switch, approvals and session keys, as this node provides them (internal). */
    public SafetyServices services() {
        return services;
    }

    /** The key this node signs journal checkpoints with. */
    public org.nexusswarm.memory.checkpoint.CheckpointSigner checkpointSigner() {
        return services.checkpointSigner();
    }

    /** Signs this node's journal checkpoints with {@code signer} (the node keystore's key) from now on. */
    public void useCheckpointSigner(org.nexusswarm.memory.checkpoint.CheckpointSigner signer) {
        services.useCheckpointSigner(signer);
    }

    /**
     * The clock supervisors on this node decide and journal by (the system clock unless a test installs another):
     * every decision time is the journaled event time, so the throttle and sequence rules replay the same.
     */
    public java.time.Clock clock() {
        return clock;
    }

    /** Installs the clock supervisors read from now on (tests drive time with it). */
    public void useClock(java.time.Clock newClock) {
        this.clock = java.util.Objects.requireNonNull(newClock, "clock");
    }

    public void useRouter(EntityRouter newRouter) {
        this.router = newRouter;
    }

    public EntityRouter router() {
        return router;
    }
}
