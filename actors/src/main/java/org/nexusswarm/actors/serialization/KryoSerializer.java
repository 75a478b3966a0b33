package org.nexusswarm.actors.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.NotSerializableException;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.nexusswarm.actors.SwarmMessage;

/**
 * The Pekko serializer for everything that implements {@link SwarmMessage}: remote messages, persisted
 * events and snapshots.
 *
 * <p>Bound in {@code reference.conf} to the marker interface only. Typed {@link ActorRef} fields are written
 * as their serialization-format string through Pekko's {@link ActorRefResolver}, so they survive remoting.
 * The manifest carries a format version for future migrations of the wire format itself. Decoding is
 * hardened against hostile bytes (limits under {@code nexus.swarm.decoder} in reference.conf).
 */
public final class KryoSerializer extends SerializerWithStringManifest {

    /** Fixed serializer id (stored in every journal row; never change it). */
    public static final int IDENTIFIER = 7349;
    /** Manifest prefix; the stored format follows ("k3"). Format 1 rows say "k1". */
    static final String MANIFEST_PREFIX = "k";
    static final String MANIFEST_CURRENT = MANIFEST_PREFIX + SwarmKryo.FORMAT;
    /** Kryo id for Pekko's typed ActorRef implementation class. */
    static final int ACTOR_REF_ID = 50;

    private final SwarmKryo kryo;

    public KryoSerializer(ExtendedActorSystem system) {
        ActorRefResolver resolver = ActorRefResolver.get(Adapter.toTyped(system));
        ActorRefKryoSerializer refs = new ActorRefKryoSerializer(resolver);
        this.kryo = SwarmKryo.with(k -> {
            k.addDefaultSerializer(ActorRef.class, refs);
            k.register(actorRefAdapterClass(), refs, ACTOR_REF_ID);
        }, DecodeLimits.fromConfig(system.settings().config()));
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public String manifest(Object o) {
        return MANIFEST_CURRENT;
    }

    @Override
    public byte[] toBinary(Object o) {
        return kryo.toBytes(o);
    }

    /**
     * Decodes a {@link SwarmMessage} (nothing else decodes at the top level) under the configured
     * {@link DecodeLimits}. Every refusal is a {@link NotSerializableException} (what Pekko expects: Artery drops
     * the message and keeps the connection) whose cause is the typed {@link DecodeRefusedException}.
     */
    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        int format = formatOf(manifest);
        try {
            return kryo.fromBytes(bytes, format);
        } catch (UnregisteredTypeException e) {
            NotSerializableException nse = new NotSerializableException(e.getMessage());
            nse.initCause(e);
            throw nse;
        }
    }

    /** The stored format a manifest names ("k1" = 1), refusing anything else. */
    static int formatOf(String manifest) throws NotSerializableException {
        if (manifest != null && manifest.startsWith(MANIFEST_PREFIX) && manifest.length() <= 4) {
            try {
                int format = Integer.parseInt(manifest.substring(1));
                if (format >= 1 && format <= SwarmKryo.FORMAT) {
                    return format;
                }
                throw new NotSerializableException("stored format " + format + " (manifest '" + manifest
                        + "') is newer than this build, which reads formats 1 to " + SwarmKryo.FORMAT);
            } catch (NumberFormatException e) {
                // fall through to the refusal below
            }
        }
        throw new NotSerializableException("unknown Nexus Kryo manifest '" + manifest + "'");
    }

    private static Class<?> actorRefAdapterClass() {
        try {
            return Class.forName("org.apache.pekko.actor.typed.internal.adapter.ActorRefAdapter");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Pekko typed ActorRefAdapter not found: incompatible Pekko version", e);
        }
    }

    /** Writes a typed ActorRef as its resolvable path string. */
    static final class ActorRefKryoSerializer extends Serializer<ActorRef<?>> {
        private final ActorRefResolver resolver;

        ActorRefKryoSerializer(ActorRefResolver resolver) {
            this.resolver = resolver;
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, ActorRef<?> ref) {
            output.writeString(resolver.toSerializationFormat(ref));
        }

        @Override
        public ActorRef<?> read(Kryo kryo, Input input, Class<? extends ActorRef<?>> type) {
            return resolver.resolveActorRef(input.readString());
        }
    }
}
