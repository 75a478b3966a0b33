package org.nexusswarm.packs;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;

/**
 * Everything needed to deploy one rail: its entities (with logic and credentials) and its signal script.
 * Entity addresses are unique within a rail.
 */
public record RailBlueprint(String name, String pack, List<EntityBlueprint> entities, SignalScript signals) {

    public RailBlueprint {
        if (name == null || pack == null || signals == null) {
            throw new IllegalArgumentException("name, pack and signals are required");
        }
        entities = List.copyOf(entities);
        Set<EntityAddress> seen = new HashSet<>();
        for (EntityBlueprint e : entities) {
            if (!seen.add(e.address())) {
                throw new IllegalArgumentException("duplicate entity " + e.address() + " in rail " + name);
            }
        }
    }

    /** The entities of one kind, in blueprint order. */
    public List<EntityBlueprint> byKind(EntityKind kind) {
        return entities.stream().filter(e -> e.address().kind() == kind).toList();
    }

    public Optional<EntityBlueprint> entity(EntityAddress address) {
        return entities.stream().filter(e -> e.address().equals(address)).findFirst();
    }
}
