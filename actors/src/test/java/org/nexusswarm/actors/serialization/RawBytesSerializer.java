package org.nexusswarm.actors.serialization;

import java.io.NotSerializableException;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * The attacker's side of {@link DecoderArteryIntegrationTest}: takes the place of the project's serializer
 * (same identifier) and writes a {@link Raw} as exactly its bytes under the current manifest, so the victim
 * decodes attacker-chosen bytes with its real {@link KryoSerializer}. Everything else goes to a real one.
 */
public final class RawBytesSerializer extends SerializerWithStringManifest {

    /** Bytes to send as if they were a serialized swarm message. */
    public record Raw(byte[] bytes) {}

    private final KryoSerializer real;

    public RawBytesSerializer(ExtendedActorSystem system) {
        this.real = new KryoSerializer(system);
    }

    @Override
    public int identifier() {
        return KryoSerializer.IDENTIFIER;
    }

    @Override
    public String manifest(Object o) {
        return o instanceof Raw ? KryoSerializer.MANIFEST_CURRENT : real.manifest(o);
    }

    @Override
    public byte[] toBinary(Object o) {
        return o instanceof Raw raw ? raw.bytes() : real.toBinary(o);
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        return real.fromBinary(bytes, manifest);
    }
}
