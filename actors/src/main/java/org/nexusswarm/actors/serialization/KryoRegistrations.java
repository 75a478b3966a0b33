package org.nexusswarm.actors.serialization;

import java.util.function.Function;

/**
 * Service-provider interface through which each module registers its serializable classes with Kryo.
 *
 * <p>Found with {@link java.util.ServiceLoader} ({@code META-INF/services}); only platform modules' providers are
 * run (see {@link SwarmKryo}: this happens before any pack is admitted). Registration ids are part of
 * the stored format of journals: an id, once shipped, is never reused or renumbered. Each module owns a
 * range: actors 100-199, episodic-memory 200-299, safety-layer 300-399 and 1100-1199, proof-delegators
 * 400-499, orchestrators 500-599, packs 600-999, swarm-coordinator 1000-1099.
 *
 * <p><b>Evolving a stored type.</b> Kryo writes records field by field, so a changed record can no longer
 * read its old bytes. Every stored row names the format it was written in ({@link SwarmKryo#FORMAT}, in the
 * serializer manifest). When a record changes shape, keep its old shape as a legacy record with the same
 * component names and types, and declare it with {@link Registrar#evolved}: bytes of that format and older
 * are then read in the old shape and upgraded to the current type, so old journals and snapshots still
 * recover. Then raise {@link SwarmKryo#FORMAT}.
 */
public interface KryoRegistrations {

    /**
     * Registers this module's classes, each with its fixed id. A registered class that implements
     * {@link java.util.List} (and is not a record) must be immutable: it is written like a JDK immutable list and
     * read back as a {@code List.of} list.
     */
    void register(Registrar registrar);

    /** The narrow view of Kryo a module gets: register a class under an id, and declare how a class evolved. */
    interface Registrar {
        void register(Class<?> type, int id);

        /**
         * Declares that bytes written in stored format {@code lastFormat} or older hold {@code type} (registered
         * under {@code id}) in the shape of {@code legacyShape}, a record with the old components; such bytes
         * are read in that shape and turned into the current type by {@code upgrade}.
         */
        default <T, L extends Record> void evolved(Class<T> type, int id, int lastFormat, Class<L> legacyShape,
                Function<L, T> upgrade) {
            throw new UnsupportedOperationException("this registrar does not support evolved types");
        }
    }
}
