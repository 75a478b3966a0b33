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
