package org.nexusswarm.coordinator.bench;

import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.serialization.KryoRegistrations;

/** The benchmark's own messages (Kryo ids 1000-1019 of swarm-coordinator's range). */
public final class BenchMessages {

    private BenchMessages() {}

    /** The payload the benchmark sends. */
    public record Ping(long n) implements SwarmMessage {}

    /** A sink's acknowledgement that {@code count} messages have arrived so far. */
    public record Ack(long count) implements SwarmMessage {}

    /** An event of the plain event-sourcing baseline: opaque bytes the size of a supervisor's decision event. */
    public record Blob(byte[] bytes) implements SwarmMessage {
        @Override
        public boolean equals(Object o) {
            return o instanceof Blob b && java.util.Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Blob[" + bytes.length + " bytes]";
        }
    }

    /** Registers the benchmark's messages. */
    public static final class Registrations implements KryoRegistrations {
        @Override
        public void register(Registrar r) {
            r.register(Ping.class, 1000);
            r.register(Ack.class, 1001);
            r.register(Blob.class, 1019);
        }
    }
}
