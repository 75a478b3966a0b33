package org.nexusswarm.coordinator.rail;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.safety.api.registry.EntitySpec;

/**
 * A rail as deployed on a node: the blueprint, the rail's issuer key, the signal feed's identity, the spec of
 * every entity and the deployment record they were derived by. Holds private keys: never serialized, never logged
 * (the {@link RailDeployment} record is the shareable part).
 */
public record DeployedRail(RailBlueprint blueprint, SwarmKeyPair issuer, SignalFeed feed, List<EntitySpec> specs,
        RailDeployment deployment) {

    public DeployedRail {
        specs = List.copyOf(specs);
    }

    public List<EntityAddress> addresses() {
        return specs.stream().map(EntitySpec::address).toList();
    }

    /** How many entities of each kind, in kind order. */
    public Map<EntityKind, Integer> countByKind() {
        Map<EntityKind, Integer> counts = new TreeMap<>();
        specs.forEach(s -> counts.merge(s.address().kind(), 1, Integer::sum));
        return counts;
    }
}
