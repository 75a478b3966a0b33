package org.nexusswarm.actors.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.RecordComponent;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.testing.RecordSamples;

class SwarmKryoTest {

    private static final SwarmKryo KRYO = SwarmKryo.withoutActorRefs();

    /** Not registered anywhere: must be refused on write. */
    record NotRegistered(String text) implements SwarmMessage {}

    /** Counts what the gadgets below would do if a reader ever instantiated them. */
    static final class Tripwire {
        static final AtomicInteger CONSTRUCTED = new AtomicInteger();
        static final AtomicBoolean INITIALIZED = new AtomicBoolean();
    }

    /** A class whose no-arg constructor (what Kryo would call) trips the wire. */
    public static final class ConstructorGadget {
        public String command = "rm -rf /";

        public ConstructorGadget() {
            Tripwire.CONSTRUCTED.incrementAndGet();
        }
    }

    /** A class whose static initializer trips the wire; never instantiated in this test. */
    public static final class StaticGadget {
        static {
            Tripwire.INITIALIZED.set(true);
        }

        public String command;
    }

    @TestFactory
    Stream<DynamicTest> everyRegisteredClassRoundTrips() {
        Map<Class<?>, Integer> registered = KRYO.registeredClasses();
        assertTrue(registered.size() >= 13, "the kernel registers its protocol: " + registered);
        RecordSamples samples = RecordSamples.over(registered.keySet());
        List<Class<?>> needRefs = Collections.synchronizedList(new ArrayList<>());
        Stream<DynamicTest> perClass = registered.entrySet().stream()
                .sorted(Map.Entry.comparingByValue())
                .map(e -> dynamicTest(e.getValue() + " " + e.getKey().getSimpleName(), () -> {
                    Class<?> type = e.getKey();
                    assertEquals(e.getValue(), KRYO.idOf(type).orElseThrow(), "Kryo uses the declared id");
                    List<Object> values = samples.samplesOf(type);
                    if (values.isEmpty()) {
                        assertTrue(needsActorRef(type), type + " could not be sampled although it holds no ActorRef");
                        needRefs.add(type);
                        return;
                    }
                    for (Object value : values) {
                        byte[] bytes = KRYO.toBytes(value);
                        assertEquals(e.getValue() + 2, firstVarInt(bytes), "written with its id, not its name");
                        Object copy;
                        if (SwarmMessage.class.isAssignableFrom(type)) {
                            copy = KRYO.fromBytes(bytes);
                        } else {
                            // Enums and parts of messages never travel alone: refused at the top level.
                            DecodeRefusedException alone = assertThrows(DecodeRefusedException.class,
                                    () -> KRYO.fromBytes(bytes));
                            assertEquals(DecodeRefusedException.Reason.NOT_A_MESSAGE_TYPE, alone.reason());
                            copy = KRYO.fromBytes(bytes, Object.class);
                        }
                        assertEquals(value, copy, type.getName() + " must survive a Kryo round trip (and define "
                                + "equals over array components)");
                        assertEquals(value.getClass(), copy.getClass());
                    }
                }));
        DynamicTest refsCheck = dynamicTest("classes holding ActorRefs are covered by KryoSerializerTest", () ->
                assertTrue(needRefs.stream().allMatch(SwarmKryoTest::needsActorRef)));
        return Stream.concat(perClass, Stream.of(refsCheck));
    }

    @Test
    void recordSamplesFillEveryComponentWithANonDefaultValue() {
        Intent intent = RecordSamples.over(KRYO.registeredClasses().keySet()).sample(Intent.class);
        assertNotNull(intent.intentId());
        assertNotNull(intent.actionClass());
        assertNotNull(intent.target());
        assertNotNull(intent.payload(), "a SwarmMessage component gets a registered record");
        SignedEnvelope envelope = RecordSamples.over(List.of()).sample(SignedEnvelope.class);
        assertEquals(3, envelope.payload().length);
        assertTrue(envelope.nonce() != 0 && envelope.hlc() != 0 && envelope.nonce() != envelope.hlc());
    }

    @Test
    void anUnregisteredClassIsRefusedOnWriteNamingTheClass() {
        UnregisteredTypeException e = assertThrows(UnregisteredTypeException.class,
                () -> KRYO.toBytes(new NotRegistered("x")));
        assertTrue(e.getMessage().contains(NotRegistered.class.getName()), e.getMessage());
        assertTrue(KRYO.idOf(NotRegistered.class).isEmpty());
    }

    @Test
    void anUnregisteredClassNestedInARegisteredOneIsRefusedOnWrite() {
        Intent intent = new Intent("i-1", "compute.request", EntityAddress.of(EntityKind.AGENT, "b"),
                new NotRegistered("nested"));
        UnregisteredTypeException e = assertThrows(UnregisteredTypeException.class, () -> KRYO.toBytes(intent));
        assertTrue(e.getMessage().contains(NotRegistered.class.getName()), e.getMessage());
        // The failed write left the pooled instance usable.
        Intent fine = new Intent("i-2", "compute.request", EntityAddress.of(EntityKind.AGENT, "b"),
                EntityAddress.of(EntityKind.NODE, "n"));
        assertEquals(fine, KRYO.fromBytes(KRYO.toBytes(fine)));
    }

    @Test
    void bytesNamingAnUnknownClassIdAreRefusedAndNothingIsInstantiated() {
        Kryo writer = new Kryo();
        writer.register(ConstructorGadget.class, 9999);
        Output out = new Output(64, -1);
        writer.writeClassAndObject(out, new ConstructorGadget());
        byte[] bytes = out.toBytes();
        Tripwire.CONSTRUCTED.set(0);

        UnregisteredTypeException e = assertThrows(UnregisteredTypeException.class, () -> KRYO.fromBytes(bytes));
        assertTrue(e.getMessage().contains("9999"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was instantiated"), e.getMessage());
        assertEquals(0, Tripwire.CONSTRUCTED.get(), "the gadget's constructor must not run");
    }

    @Test
    void bytesNamingAnUnregisteredClassByNameAreRefusedAndTheClassIsNotEvenInitialized() {
        Kryo writer = new Kryo();
        writer.setRegistrationRequired(false);
        Output out = new Output(256, -1);
        writer.writeClass(out, StaticGadget.class); // the class name only: no instance, no initialization
        out.writeString("payload");
        byte[] bytes = out.toBytes();
        assertFalse(Tripwire.INITIALIZED.get(), "precondition: writing did not initialize the gadget");

        UnregisteredTypeException e = assertThrows(UnregisteredTypeException.class, () -> KRYO.fromBytes(bytes));
        assertTrue(e.getMessage().contains(StaticGadget.class.getName()), e.getMessage());
        assertFalse(Tripwire.INITIALIZED.get(), "the gadget's static initializer must not run");

        Output whole = new Output(256, -1);
        writer.writeClassAndObject(whole, new ConstructorGadget());
        Tripwire.CONSTRUCTED.set(0);
        assertThrows(UnregisteredTypeException.class, () -> KRYO.fromBytes(whole.toBytes()));
        assertEquals(0, Tripwire.CONSTRUCTED.get());
    }

    @Test
    void truncatedAndEmptyBytesAreRefusedWithTheTypedException() {
        byte[] bytes = KRYO.toBytes(new EntityStatus(EntityAddress.of(EntityKind.AGENT, "a"), true, 2, 9, "why"));
        assertThrows(UnregisteredTypeException.class, () -> KRYO.fromBytes(new byte[0]));
        assertThrows(UnregisteredTypeException.class,
                () -> KRYO.fromBytes(java.util.Arrays.copyOf(bytes, bytes.length / 2)));
    }

    /** A collection that declares far more elements than it yields: forges a length field. */
    static final class LyingList extends AbstractList<Object> {
        @Override
        public Object get(int index) {
            return "x";
        }

        @Override
        public int size() {
            return 1_500_000_000;
        }

        @Override
        public Iterator<Object> iterator() {
            return List.<Object>of("x").iterator();
        }
    }

    /** A map that declares far more entries than it yields. */
    static final class LyingMap extends AbstractMap<Object, Object> {
        @Override
        public Set<Entry<Object, Object>> entrySet() {
            return Map.<Object, Object>of("k", "v").entrySet();
        }

        @Override
        public int size() {
            return 1_500_000_000;
        }
    }

    @TestFactory
    Stream<DynamicTest> forgedLengthsAreRefusedBeforeAnythingIsAllocated() {
        Map<String, byte[]> forged = new LinkedHashMap<>();
        for (Map.Entry<Class<?>, Integer> array : Map.<Class<?>, Integer>of(
                byte[].class, 20, long[].class, 21, double[].class, 22, String[].class, 23).entrySet()) {
            Output out = new Output(16, -1);
            out.writeVarInt(array.getValue() + 2, true);
            out.writeVarInt(Integer.MAX_VALUE - 8, true); // length + 1
            out.writeByte(1);
            forged.put(array.getKey().getSimpleName(), out.toBytes());
        }
        Kryo writer = new Kryo();
        writer.setRegistrationRequired(false);
        CollectionSerializer<Collection<Object>> lists = new CollectionSerializer<>();
        CollectionSerializer<Collection<Object>> immutableLists = new CollectionSerializer<>();
        immutableLists.setElementsCanBeNull(false);
        for (Object[] c : new Object[][] {{"ArrayList", 24, lists}, {"List.of()", 27, immutableLists},
                {"List.of(1)", 28, immutableLists}}) {
            Output out = new Output(64, -1);
            out.writeVarInt((Integer) c[1] + 2, true);
            @SuppressWarnings("unchecked")
            CollectionSerializer<Collection<Object>> serializer = (CollectionSerializer<Collection<Object>>) c[2];
            serializer.write(writer, out, new LyingList());
            forged.put((String) c[0], out.toBytes());
        }
        Output map = new Output(64, -1);
        map.writeVarInt(25 + 2, true);
        new MapSerializer<Map<Object, Object>>().write(writer, map, new LyingMap());
        forged.put("HashMap", map.toBytes());

        return forged.entrySet().stream().map(e -> dynamicTest(e.getKey(), () -> {
            assertTrue(e.getValue().length < 40, "a few bytes declaring about 2^31 elements");
            assertEquals(DecodeRefusedException.Reason.NOT_A_MESSAGE_TYPE, assertThrows(DecodeRefusedException.class,
                    () -> KRYO.fromBytes(e.getValue())).reason(), "a bare container is not a message");
            DecodeRefusedException refused = assertThrows(DecodeRefusedException.class,
                    () -> KRYO.fromBytes(e.getValue(), Object.class));
            assertTrue(refused.getMessage().contains("declared length"), refused.getMessage());
            assertEquals(DecodeRefusedException.Reason.LENGTH_EXCEEDS_INPUT, refused.reason());
        }));
    }

    @Test
    void oneSwarmKryoSurvivesFourThreadsOfRoundTrips() throws Exception {
        SwarmKeyPair keys = Ed25519.generate();
        List<Object> messages = List.of(
                SignedEnvelope.sign(keys, "agent:a", "agent:b", 7, 99, new byte[] {1, 2, 3, 4}),
                new Intent("i-9", "alert.raise", EntityAddress.of(EntityKind.ORCHESTRATOR, "o"),
                        EntityAddress.of(EntityKind.AGENT, "x")),
                new EntityStatus(EntityAddress.of(EntityKind.DELEGATOR, "d"), false, 1, 42, ""),
                keys.did());
        int threads = 4;
        int roundTrips = 20_000;
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                done.add(pool.submit(() -> {
                    start.await();
                    int ok = 0;
                    for (int i = 0; i < roundTrips; i++) {
                        Object message = messages.get((i + offset) % messages.size());
                        try {
                            if (message.equals(KRYO.fromBytes(KRYO.toBytes(message)))) {
                                ok++;
                            } else {
                                failures.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            failures.incrementAndGet();
                        }
                    }
                    return ok;
                }));
            }
            start.countDown();
            int ok = 0;
            for (Future<Integer> f : done) {
                ok += f.get(60, TimeUnit.SECONDS);
            }
            assertEquals(0, failures.get(), "failed round trips");
            assertEquals(threads * roundTrips, ok);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void registrationIdsAreFixedAndUniquePerClass() {
        Map<Class<?>, Integer> registered = KRYO.registeredClasses();
        assertEquals(registered.size(), registered.values().stream().distinct().count(), "ids are unique");
        assertTrue(registered.values().stream().allMatch(id -> id >= 100), "ids below 100 are the JDK's");
        assertEquals(101, registered.get(EntityAddress.class));
        assertEquals(103, registered.get(SignedEnvelope.class));
        assertThrows(UnsupportedOperationException.class, () -> registered.put(String.class, 1));
        // A second pool sees the same registrations.
        assertEquals(registered, SwarmKryo.withoutActorRefs().registeredClasses());
    }

    @Test
    void immutableJdkCollectionsRoundTrip() {
        for (Object value : List.of(List.of(), List.of("a"), List.of("a", "b", "c"), java.util.Set.of(),
                java.util.Set.of(1), java.util.Set.of(1, 2, 3), Map.of(), Map.of("k", 1L), Map.of("a", 1, "b", 2),
                java.util.Optional.of("x"), java.util.UUID.randomUUID(), java.time.Instant.now(),
                java.time.Duration.ofSeconds(3), new byte[] {9, 8})) {
            Object copy = KRYO.fromBytes(KRYO.toBytes(value), Object.class);
            if (value instanceof byte[] b) {
                assertArrayEquals(b, (byte[]) copy);
            } else {
                assertEquals(value, copy);
            }
        }
    }

    /** True when the record (transitively, through records) has a typed ActorRef component. */
    static boolean needsActorRef(Class<?> type) {
        if (ActorRef.class.isAssignableFrom(type)) {
            return true;
        }
        if (!type.isRecord()) {
            return false;
        }
        for (RecordComponent c : type.getRecordComponents()) {
            if (c.getType() != type && needsActorRef(c.getType())) {
                return true;
            }
        }
        return false;
    }

    private static int firstVarInt(byte[] bytes) {
        return new Input(bytes).readVarInt(true);
    }
}
