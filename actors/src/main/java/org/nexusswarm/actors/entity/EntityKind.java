package org.nexusswarm.actors.entity;

import java.util.Locale;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.nexusswarm.actors.protocol.EntityCommand;

/**
 * The four kinds of sharded entity. Each kind's entities are safety supervisors speaking
 * {@link EntityCommand}; the kind decides which logic the supervisor spawns as its child.
 */
public enum EntityKind {
    NODE,
    AGENT,
    DELEGATOR,
    ORCHESTRATOR;

    private final EntityTypeKey<EntityCommand> typeKey =
            EntityTypeKey.create(EntityCommand.class, name().toLowerCase(Locale.ROOT));

    /** The sharding key; its name is also the persistence-id prefix of the kind's journals. */
    public EntityTypeKey<EntityCommand> typeKey() {
        return typeKey;
    }

    public String label() {
        return typeKey.name();
    }

    /**
     * The cluster role a node needs to host this kind's entities ({@code pekko.cluster.roles}, {@code swarm node
     * --roles}): the plural label, e.g. {@code agents}.
     */
    public String role() {
        return label() + "s";
    }

    /** The kind hosted by nodes of {@code role}, if it is one of the kinds' roles. */
    public static java.util.Optional<EntityKind> forRole(String role) {
        for (EntityKind k : values()) {
            if (k.role().equals(role)) {
                return java.util.Optional.of(k);
            }
        }
        return java.util.Optional.empty();
    }

    /** Parses a label such as {@code agent}; throws with the accepted labels on anything else. */
    public static EntityKind fromLabel(String label) {
        for (EntityKind k : values()) {
            if (k.label().equalsIgnoreCase(label)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown entity kind '" + label + "' (expected node, agent, delegator or orchestrator)");
    }
}
