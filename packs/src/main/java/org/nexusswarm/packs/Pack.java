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

    /**
     * The logic this pack deploys under {@code version} (the version an entity's journal records), rebuilt for
     * replays. Empty when the pack has no such logic, or cannot rebuild it from the version alone (a logic built
     * with parameters the version does not name). The logic is initialised with the replayed entity's own
     * {@link org.nexusswarm.actors.spi.AgentContext}, so it may derive per-instance details from its address.
     */
    default java.util.Optional<org.nexusswarm.actors.spi.AgentLogic<?>> logic(String version) {
        return java.util.Optional.empty();
    }

    /**
     * The policy (HOCON, see the safety layer's PolicyParser) the pack ships for {@code railName}: by default
     * the class-path resource {@code policies/<railName>.conf} next to the pack. Without one, every action of
     * the rail is denied (fail closed) until an operator pushes a policy.
     */
    default java.util.Optional<String> policyText(String railName) {
        try (java.io.InputStream in = getClass().getClassLoader().getResourceAsStream("policies/" + railName + ".conf")) {
            return in == null ? java.util.Optional.empty()
                    : java.util.Optional.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the policy of rail " + railName, e);
        }
    }
}
