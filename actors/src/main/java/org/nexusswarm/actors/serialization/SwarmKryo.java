package org.nexusswarm.actors.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.Pool;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * A pool of identically configured Kryo instances with class registration required.
 *
 * <p>Kryo is not thread-safe (a shared instance corrupts round trips under concurrency), so every
 * operation borrows an instance from the pool. Registration is required: bytes naming an unknown class id
 * are refused before anything is instantiated, which keeps Kryo from becoming a gadget-chain attack
 * surface. The registered set is the union of all {@link KryoRegistrations} on the class path plus the
 * JDK types Kryo needs help with on Java 17.
 */
public final class SwarmKryo {

    /** Pool size bound: more concurrent users than this simply allocate a temporary instance. */
    private static final int POOL_CAPACITY = 64;
    private static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    private final Pool<Kryo> pool;
    private final Map<Class<?>, Integer> registered;

    private SwarmKryo(Consumer<Kryo> extraConfig) {
        this.registered = Collections.unmodifiableMap(discoverRegistrations());
        this.pool = new Pool<>(true, false, POOL_CAPACITY) {
            @Override
            protected Kryo create() {
                return newKryo(registered, extraConfig);
            }
        };
    }

    /** A pool for payloads and digests: no actor references can be written (payloads must not carry refs). */
    public static SwarmKryo withoutActorRefs() {
        return new SwarmKryo(k -> {});
    }

    /** A pool with an extra configuration step, e.g. the actor-ref serializer a Pekko system provides. */
    public static SwarmKryo with(Consumer<Kryo> extraConfig) {
        return new SwarmKryo(extraConfig);
    }

    /** Every registered class with its fixed id (for tests and diagnostics). */
    public Map<Class<?>, Integer> registeredClasses() {
        return registered;
    }

    /** Serializes {@code value} with its class id; throws {@link UnregisteredTypeException} for unknown classes. */
    public byte[] toBytes(Object value) {
        Kryo kryo = pool.obtain();
        try (Output out = new Output(256, MAX_MESSAGE_BYTES)) {
            kryo.writeClassAndObject(out, value);
            return out.toBytes();
        } catch (IllegalArgumentException | KryoException e) {
            throw UnregisteredTypeException.onWrite(value, e);
        } finally {
            pool.free(kryo);
        }
    }

    /** Reads bytes written by {@link #toBytes}; an unregistered class id is refused, never instantiated. */
    public Object fromBytes(byte[] bytes) {
        Kryo kryo = pool.obtain();
        try (Input in = new Input(bytes)) {
            return kryo.readClassAndObject(in);
        } catch (KryoException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw UnregisteredTypeException.onRead(e);
        } finally {
            pool.free(kryo);
        }
    }

    private static Map<Class<?>, Integer> discoverRegistrations() {
        Map<Class<?>, Integer> byClass = new HashMap<>();
        Map<Integer, Class<?>> byId = new TreeMap<>();
        KryoRegistrations.Registrar registrar = (type, id) -> {
            if (id < 100) {
                throw new IllegalStateException("Kryo ids below 100 are reserved for the JDK: " + type.getName());
            }
            Class<?> previous = byId.putIfAbsent(id, type);
            if (previous != null && previous != type) {
                throw new IllegalStateException("Kryo id " + id + " claimed by both " + previous.getName()
                        + " and " + type.getName());
            }
            byClass.put(type, id);
        };
        for (KryoRegistrations r : ServiceLoader.load(KryoRegistrations.class, SwarmKryo.class.getClassLoader())) {
            r.register(registrar);
        }
        return byClass;
    }

    private static Kryo newKryo(Map<Class<?>, Integer> registered, Consumer<Kryo> extraConfig) {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        // Records and classes with no-arg constructors use them; anything else falls back to Objenesis.
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
        registerJdkTypes(kryo);
        extraConfig.accept(kryo);
        registered.forEach((type, id) -> kryo.register(type, id));
        return kryo;
    }

    /**
     * JDK types with fixed ids 20-49; JDK 17's immutable collections need Kryo's dedicated serializers. Arrays
     * and presized collections use {@link BoundedSerializers}, so a forged length cannot exhaust the heap.
     */
    private static void registerJdkTypes(Kryo kryo) {
        kryo.register(byte[].class, new BoundedSerializers.Bytes(), 20);
        kryo.register(long[].class, new BoundedSerializers.Longs(), 21);
        kryo.register(double[].class, new BoundedSerializers.Doubles(), 22);
        kryo.register(String[].class, new BoundedSerializers.Strings(), 23);
        kryo.register(ArrayList.class, new BoundedSerializers.MutableCollections(), 24);
        kryo.register(HashMap.class, new BoundedSerializers.MutableMaps(), 25);
        kryo.register(TreeMap.class, 26);
        BoundedSerializers.ImmutableLists immutableLists = new BoundedSerializers.ImmutableLists();
        kryo.register(List.of().getClass(), immutableLists, 27);
        kryo.register(List.of(1).getClass(), immutableLists, 28);
        kryo.register(Set.of().getClass(), 29);
        kryo.register(Set.of(1).getClass(), 30);
        kryo.register(Map.of().getClass(), 31);
        kryo.register(Map.of(1, 1).getClass(), 32);
        kryo.register(UUID.class, new DefaultSerializers.UUIDSerializer(), 33);
        kryo.register(URI.class, new DefaultSerializers.URISerializer(), 34);
        kryo.register(Optional.class, 35);
        kryo.register(java.time.Instant.class, 36);
        kryo.register(java.time.Duration.class, 37);
    }


    /** Visible for diagnostics: the registration Kryo uses for a class, or empty if it is not registered. */
    public Optional<Integer> idOf(Class<?> type) {
        Kryo kryo = pool.obtain();
        try {
            Registration r = kryo.getClassResolver().getRegistration(type);
            return Optional.ofNullable(r).map(Registration::getId);
        } finally {
            pool.free(kryo);
        }
    }

    /** Lets callers plug a serializer for an interface (e.g. typed ActorRef) into every pooled instance. */
    public static Consumer<Kryo> defaultSerializer(Class<?> type, Serializer<?> serializer) {
        return kryo -> kryo.addDefaultSerializer(type, serializer);
    }
}
