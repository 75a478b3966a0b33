package org.nexusswarm.safety.api.monitor;

import org.nexusswarm.actors.SwarmMessage;

/**
 * What an operator kill switch covers: one entity ({@code agent:x}), every entity of a pack, or of a rail.
 *
 * @param scope ENTITY, PACK or RAIL
 * @param name  the entity address ({@code kind:id}), pack name or rail name; 1 to {@value #MAX_NAME_CHARS}
 *              characters, no control characters and no {@code |}
 */
public record KillTarget(Scope scope, String name) implements SwarmMessage {

    public static final int MAX_NAME_CHARS = 200;

    /** The kind of thing a kill switch names. */
    public enum Scope { ENTITY, PACK, RAIL }

    public KillTarget {
        if (scope == null) {
            throw new IllegalArgumentException("a kill target needs a scope (ENTITY, PACK or RAIL)");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a kill target needs a name");
        }
        if (name.length() > MAX_NAME_CHARS) {
            throw new IllegalArgumentException("a kill target's name has at most " + MAX_NAME_CHARS + " characters");
        }
        if (name.chars().anyMatch(c -> c == '|' || Character.isISOControl(c))) {
            throw new IllegalArgumentException("a kill target's name may not contain '|' or control characters");
        }
    }

    public static KillTarget entity(String address) {
        return new KillTarget(Scope.ENTITY, address);
    }

    public static KillTarget pack(String pack) {
        return new KillTarget(Scope.PACK, pack);
    }

    public static KillTarget rail(String rail) {
        return new KillTarget(Scope.RAIL, rail);
    }

    /** True when this target names {@code entityAddress}, or its {@code rail} or {@code pack} (either may be null). */
    public boolean covers(String entityAddress, String rail, String pack) {
        return switch (scope) {
            case ENTITY -> name.equals(entityAddress);
            case RAIL -> name.equals(rail);
            case PACK -> name.equals(pack);
        };
    }

    @Override
    public String toString() {
        return scope + " " + name;
    }
}
