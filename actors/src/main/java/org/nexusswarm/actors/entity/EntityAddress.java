package org.nexusswarm.actors.entity;

import org.nexusswarm.actors.SwarmMessage;

/**
 * The location-transparent name of an entity: its kind and id. Children address other entities only by
 * this, never by an actor reference, which is what keeps the safety supervisor's interception complete.
 */
public record EntityAddress(EntityKind kind, String id) implements SwarmMessage {

    public EntityAddress {
        if (kind == null) {
            throw new IllegalArgumentException("entity kind is required");
        }
        if (id == null || id.isBlank() || id.indexOf('|') >= 0) {
            throw new IllegalArgumentException("entity id must be non-blank and must not contain '|': " + id);
        }
    }

    public static EntityAddress of(EntityKind kind, String id) {
        return new EntityAddress(kind, id);
    }

    /** Parses {@code kind:id}, e.g. {@code agent:drought-watch.agent-007}. */
    public static EntityAddress parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected <kind>:<id>, e.g. agent:drought-watch.agent-007, got '" + text + "'");
        }
        return new EntityAddress(EntityKind.fromLabel(text.substring(0, colon)), text.substring(colon + 1));
    }

    /** The persistence id of this entity's journal ({@code kind|id}, Pekko's sharding convention). */
    public String persistenceId() {
        return kind.label() + "|" + id;
    }

    @Override
    public String toString() {
        return kind.label() + ":" + id;
    }
}
