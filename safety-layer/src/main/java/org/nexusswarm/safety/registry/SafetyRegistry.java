package org.nexusswarm.safety.registry;

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
            return new SafetyRegistry(SafetySettings.from(system.settings().config()));
        }
    };

    private final SafetySettings settings;
    private final IdentityDirectory identities = new IdentityDirectory();
    private final Map<EntityAddress, EntitySpec> specs = new ConcurrentHashMap<>();
    private final Set<String> trustedIssuers = ConcurrentHashMap.newKeySet();
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
        identities.admit(spec.keys().did(), spec.address().toString());
    }

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

    public void useRouter(EntityRouter newRouter) {
        this.router = newRouter;
    }

    public EntityRouter router() {
        return router;
    }
}
