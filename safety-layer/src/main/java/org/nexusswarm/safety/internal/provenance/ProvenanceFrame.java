package org.nexusswarm.safety.internal.provenance;

import java.util.List;
import org.nexusswarm.actors.SwarmMessage;

/**
 * The payload of an envelope whose intent had upstream causes: the sending supervisor's claim of that intent's
 * {@link CauseChain} (without the sender itself, which the envelope authenticates) around the logic's payload
 * bytes. Being the payload, it is covered by the envelope's signature or session MAC, so nothing between the
 * supervisors can strip or change it; and since the supervisor, not the logic, builds it, a logic cannot shorten
 * its own chain (a logic whose payload is a frame is refused). The receiver puts the sender in front and takes
 * the logic's payload from {@code payload}; a frame inside a frame is refused.
 *
 * @param upstream newest first, at most {@link CauseChain#MAX_HOPS} hops
 * @param payload  Kryo bytes of the logic's message
 */
public record ProvenanceFrame(List<String> upstream, byte[] payload) implements SwarmMessage {

    /**
     * The message in {@code bytes} as its receiver's logic saw it: the framed message when the bytes are a frame
     * (how a journaled {@code Observed} payload of a framed envelope is read back), else the message itself.
     */
    public static Object messageOf(org.nexusswarm.actors.serialization.SwarmKryo kryo, byte[] bytes) {
        Object decoded = kryo.fromBytes(bytes);
        return decoded instanceof ProvenanceFrame frame ? kryo.fromBytes(frame.payload) : decoded;
    }

    public ProvenanceFrame {
        upstream = new CauseChain(upstream).hops();
        payload = payload == null ? new byte[0] : payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProvenanceFrame f && upstream.equals(f.upstream)
                && java.util.Arrays.equals(payload, f.payload);
    }

    @Override
    public int hashCode() {
        return 31 * upstream.hashCode() + java.util.Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "ProvenanceFrame(" + upstream + ", " + payload.length + " bytes)";
    }
}
