package org.nexusswarm.actors.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.esotericsoftware.kryo.Kryo;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.SwarmMessage;

/**
 * Registering a class with Kryo, as every node does at start for every declared pack payload type (before any pack
 * is admitted), loads the class but runs none of its code: no static initialiser, no constructor.
 */
class RegistrationInitialisesNothingTest {

    /** Counts what the records below run; a separate class, so reading it initialises no record. */
    static final class Runs {
        static final AtomicInteger STATIC_INITS = new AtomicInteger();
        static final AtomicInteger CONSTRUCTIONS = new AtomicInteger();
    }

    record Marked(String text) implements SwarmMessage {
        static {
            Runs.STATIC_INITS.incrementAndGet();
        }

        Marked {
            Runs.CONSTRUCTIONS.incrementAndGet();
        }
    }

    @Test
    void aRegisteredRecordIsNeitherInitialisedNorConstructedUntilItIsDecoded() throws Exception {
        Class<?> type = Class.forName(Marked.class.getName(), false, getClass().getClassLoader());
        Kryo kryo = SwarmKryo.newKryo(Map.of(type, 1205), k -> { }, 64);
        assertEquals(1205, kryo.getRegistration(type).getId());
        kryo.getRegistration(type).getSerializer();
        assertEquals(0, Runs.STATIC_INITS.get(), "registration ran the static initialiser");
        assertEquals(0, Runs.CONSTRUCTIONS.get());

        // Control: decoding one does run both (so the counters would have seen a registration that did).
        com.esotericsoftware.kryo.io.Output out = new com.esotericsoftware.kryo.io.Output(64);
        out.writeVarInt(1205 + 2, true);
        out.writeString("x");
        Object decoded = kryo.readClassAndObject(new com.esotericsoftware.kryo.io.Input(out.toBytes()));
        assertEquals("x", ((Marked) decoded).text());
        assertEquals(1, Runs.STATIC_INITS.get());
        assertEquals(1, Runs.CONSTRUCTIONS.get());
    }
}
