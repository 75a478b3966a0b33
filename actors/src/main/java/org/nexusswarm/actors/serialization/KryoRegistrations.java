package org.nexusswarm.actors.serialization;

/**
 * Service-provider interface through which each module registers its serializable classes with Kryo.
 *
 * <p>Found with {@link java.util.ServiceLoader} ({@code META-INF/services}). Registration ids are part of
 * the stored format of journals: an id, once shipped, is never reused or renumbered. Each module owns a
 * range: actors 100-199, episodic-memory 200-299, safety-layer 300-399, proof-delegators 400-499,
 * orchestrators 500-599, packs 600-999, swarm-coordinator 1000-1099.
 */
public interface KryoRegistrations {

    /** Registers this module's classes, each with its fixed id. */
    void register(Registrar registrar);

    /** The narrow view of Kryo a module gets: register a class under an id, nothing else. */
    interface Registrar {
        void register(Class<?> type, int id);
    }
}
