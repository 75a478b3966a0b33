package org.nexusswarm.packs;

import java.util.List;

/**
 * A sector pack: a named bundle of rails (entities, their logic and allowed actions, and a signal script),
 * found with {@link java.util.ServiceLoader} through {@code META-INF/services/org.nexusswarm.packs.Pack}.
 *
 * <p>Implementations need a public no-arg constructor and must be stateless: {@link #rail} builds a fresh
 * blueprint on every call. Payload types a pack introduces must be registered with Kryo (ids 600-999).
 */
public interface Pack {

    /** A short unique name, e.g. {@code climate}. */
    String name();

    /** One line for operators. */
    String description();

    /** The rails this pack can build. */
    List<String> railNames();

    /**
     * Builds rail {@code railName} for {@code options}.
     *
     * @throws IllegalArgumentException for an unknown rail name (the message lists the known ones) or options
     *                                  the rail cannot honour
     */
    RailBlueprint rail(String railName, RailOptions options);
}
