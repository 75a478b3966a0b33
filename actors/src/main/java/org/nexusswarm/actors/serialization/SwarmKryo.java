package org.nexusswarm.actors.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers;
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
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.serialization.DecodeRefusedException.Reason;
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

    /**
     * The stored format this build writes. 1: the first shapes; 2: chronotopes with causes and versions,
     * observations with payloads, checkpoint progress in supervisor state; 3: trajectory statistics with
     * proposals, sequence history and throttle bucket; 4: supervisor memory with the intents the throttle holds
     * and the operator commands taken. Older formats are read through the
     * {@link KryoRegistrations.Registrar#evolved} declarations.
     */
    public static final int FORMAT = 4;

    private final Pool<Kryo> pool;
    private final Map<Class<?>, Integer> registered;
    private final List<Evolution<?, ?>> evolutions;
    /** Readers of older formats, created when first needed (index = format). */
    private final Map<Integer, Pool<Kryo>> legacyPools = new java.util.concurrent.ConcurrentHashMap<>();
    private final Consumer<Kryo> extraConfig;
    private final DecodeLimits limits;

    private SwarmKryo(Consumer<Kryo> extraConfig, DecodeLimits limits) {
        List<Evolution<?, ?>> found = new ArrayList<>();
        this.registered = Collections.unmodifiableMap(discoverRegistrations(found));
        this.evolutions = List.copyOf(found);
        this.extraConfig = extraConfig;
        this.limits = limits;
        this.pool = poolFor(FORMAT);
    }

    private Pool<Kryo> poolFor(int format) {
        return new Pool<>(true, false, POOL_CAPACITY) {
            @Override
            protected Kryo create() {
                Kryo kryo = newKryo(registered, extraConfig, limits.maxDepth());
                for (Evolution<?, ?> e : evolutionsFor(format)) {
                    kryo.register(e.type(), e.reader(), e.id());
                }
                return kryo;
            }
        };
    }

    /** For each evolved type, the oldest declared shape that still covers {@code format}. */
    private List<Evolution<?, ?>> evolutionsFor(int format) {
        Map<Class<?>, Evolution<?, ?>> chosen = new HashMap<>();
        for (Evolution<?, ?> e : evolutions) {
            if (format <= e.lastFormat()) {
                chosen.merge(e.type(), e, (a, b) -> a.lastFormat() <= b.lastFormat() ? a : b);
            }
        }
        return List.copyOf(chosen.values());
    }

    /** A pool for payloads and digests: no actor references can be written (payloads must not carry refs). */
    public static SwarmKryo withoutActorRefs() {
        return new SwarmKryo(k -> {}, DecodeLimits.DEFAULT);
    }

    /** A pool with an extra configuration step, e.g. the actor-ref serializer a Pekko system provides. */
    public static SwarmKryo with(Consumer<Kryo> extraConfig) {
        return new SwarmKryo(extraConfig, DecodeLimits.DEFAULT);
    }

    /** A pool with an extra configuration step and other decoder limits than the defaults. */
    public static SwarmKryo with(Consumer<Kryo> extraConfig, DecodeLimits limits) {
        return new SwarmKryo(extraConfig, limits);
    }

    /** The limits every decode of this pool runs under. */
    public DecodeLimits limits() {
        return limits;
    }

    /**
     * A digest of what this build can decode: the stored format and every registered id with its class. Two nodes
     * with different fingerprints would misread each other's messages, so a node whose fingerprint differs from the
     * cluster's is refused at join ({@code KryoJoinCheck} in the coordinator).
     */
    public String fingerprint() {
        StringBuilder text = new StringBuilder("format=").append(FORMAT).append('\n');
        registered.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .forEach(e -> text.append(e.getValue()).append('=').append(e.getKey().getName()).append('\n'));
        byte[] bytes = text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        org.bouncycastle.crypto.digests.SHA256Digest sha = new org.bouncycastle.crypto.digests.SHA256Digest();
        sha.update(bytes, 0, bytes.length);
        byte[] digest = new byte[sha.getDigestSize()];
        sha.doFinal(digest, 0);
        return java.util.HexFormat.of().formatHex(digest, 0, 16);
    }

    /** Every registered class with its fixed id (for tests and diagnostics). */
    public Map<Class<?>, Integer> registeredClasses() {
        return registered;
    }

    /** Serializes {@code value} with its class id; throws {@link UnregisteredTypeException} for unknown classes. */
    public byte[] toBytes(Object value) {
        Kryo kryo = pool.obtain();
        boolean clean = false;
        try (Output out = new Output(256, limits.maxMessageBytes())) {
            kryo.writeClassAndObject(out, value);
            clean = true;
            return out.toBytes();
        } catch (IllegalArgumentException | KryoException e) {
            throw UnregisteredTypeException.onWrite(value, e);
        } finally {
            release(pool, kryo, clean);
        }
    }

    /**
     * Reads a message written by {@link #toBytes}: the top-level object must be a registered
     * {@link SwarmMessage}. Every refusal is a {@link DecodeRefusedException}; nothing else leaves.
     */
    public Object fromBytes(byte[] bytes) {
        return read(pool, bytes, SwarmMessage.class);
    }

    /**
     * Reads bytes whose top-level object must be a registered {@code topLevel} (for tests and tools that read
     * a part of a message on its own, e.g. {@code Object.class} for an enum). Untrusted bytes go through
     * {@link #fromBytes(byte[])}.
     */
    public <T> T fromBytes(byte[] bytes, Class<T> topLevel) {
        return read(pool, bytes, topLevel);
    }

    /**
     * Reads a message written by an earlier build in stored format {@code format} (1..{@link #FORMAT}),
     * upgrading evolved types to their current shape.
     */
    public Object fromBytes(byte[] bytes, int format) {
        if (format == FORMAT) {
            return read(pool, bytes, SwarmMessage.class);
        }
        if (format < 1 || format > FORMAT) {
            throw new DecodeRefusedException(Reason.UNKNOWN_FORMAT, "stored format " + format + " is not known to this "
                    + "build (it reads 1 to " + FORMAT + "); the row was written by a newer Nexus Swarm", null);
        }
        return read(legacyPools.computeIfAbsent(format, this::poolFor), bytes, SwarmMessage.class);
    }

    /**
     * One decode under {@link #limits}. The top-level class is read first and must be a registered
     * {@code topLevel}; then the object, through a {@link BoundedInput} that checks every declared length and
     * keeps the object and allocation budgets; then the input must be used up exactly.
     *
     * <p>Errors are prevented by the limits, not caught as a strategy. The one exception is a last resort:
     * a {@link StackOverflowError} (possible only if the caller's own stack is nearly used up, since the depth
     * limit keeps a decode's stack small) is refused as {@code TOO_DEEP} and the instance is not reused.
     */
    private <T> T read(Pool<Kryo> from, byte[] bytes, Class<T> topLevel) {
        if (bytes == null) {
            throw new DecodeRefusedException(Reason.MALFORMED, "no bytes", null);
        }
        if (bytes.length > limits.maxMessageBytes()) {
            throw new DecodeRefusedException(Reason.TOO_LARGE, bytes.length + " bytes exceed the decoder's limit of "
                    + limits.maxMessageBytes(), null);
        }
        BoundedInput in = new BoundedInput(bytes, limits);
        Kryo kryo = from.obtain();
        boolean clean = false;
        try {
            Registration registration = kryo.readClass(in);
            if (registration == null) {
                throw new DecodeRefusedException(Reason.NOT_A_MESSAGE_TYPE, "the bytes hold null, not a message", null);
            }
            Class<?> type = registration.getType();
            if (!topLevel.isAssignableFrom(type)) {
                throw new DecodeRefusedException(Reason.NOT_A_MESSAGE_TYPE, type.getName() + " (id "
                        + registration.getId() + ") is registered but is not a " + topLevel.getSimpleName()
                        + "; only messages decode at the top level", null);
            }
            Object value = kryo.readObject(in, type);
            if (in.remaining() != 0) {
                throw new DecodeRefusedException(Reason.MALFORMED, in.remaining() + " bytes follow the message", null);
            }
            clean = true;
            return topLevel.cast(value);
        } catch (DecodeRefusedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw refusal(e, in);
        } catch (StackOverflowError e) {
            kryo = null; // not reused: the pool builds a new one
            throw new DecodeRefusedException(Reason.TOO_DEEP, "the decoder ran out of stack", null);
        } finally {
            if (kryo != null) {
                release(from, kryo, clean);
            }
        }
    }

    /** The typed refusal for anything Kryo (or a constructor it called) threw on these bytes. */
    private static DecodeRefusedException refusal(RuntimeException e, BoundedInput in) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BoundedInput.LimitExceeded limit) {
                return new DecodeRefusedException(limit.reason, limit.getMessage(), e);
            }
        }
        if (in.refusal() != null) {
            // A limit was hit but a serializer replaced the exception: the limit is the reason.
            return new DecodeRefusedException(in.refusal(), UnregisteredTypeException.firstLine(e.getMessage()), e);
        }
        String message = String.valueOf(e.getMessage());
        Reason reason = message.contains("Class is not registered") || message.contains("unregistered class")
                ? Reason.UNREGISTERED_TYPE : Reason.MALFORMED;
        return new DecodeRefusedException(reason, e.getClass().getSimpleName() + ": " + message, e);
    }

    /**
     * Returns an instance to its pool. After a failure the instance is first cleared of everything a message
     * can leave behind: Kryo's graph state (depth, graph context, references; {@link Kryo#reset}) and the
     * generic-type stack, which a read that failed half-way leaves pushed (a fresh one is installed). Class
     * names are never cached ({@link GuardedKryo.IdsOnlyClassResolver}). An instance still not at depth 0 is
     * dropped instead.
     */
    private static void release(Pool<Kryo> to, Kryo kryo, boolean clean) {
        if (!clean) {
            kryo.reset();
            kryo.setOptimizedGenerics(true);
            if (kryo.getDepth() != 0) {
                return;
            }
        }
        to.free(kryo);
    }

    private static Map<Class<?>, Integer> discoverRegistrations(List<Evolution<?, ?>> evolutions) {
        Map<Class<?>, Integer> byClass = new HashMap<>();
        Map<Integer, Class<?>> byId = new TreeMap<>();
        KryoRegistrations.Registrar registrar = new KryoRegistrations.Registrar() {
            @Override
            public void register(Class<?> type, int id) {
                if (id < 100) {
                    throw new IllegalStateException("Kryo ids below 100 are reserved for the JDK: " + type.getName());
                }
                Class<?> previous = byId.putIfAbsent(id, type);
                if (previous != null && previous != type) {
                    throw new IllegalStateException("Kryo id " + id + " claimed by both " + previous.getName()
                            + " and " + type.getName());
                }
                byClass.put(type, id);
            }

            @Override
            public <T, L extends Record> void evolved(Class<T> type, int id, int lastFormat, Class<L> legacyShape,
                    java.util.function.Function<L, T> upgrade) {
                if (lastFormat < 1 || lastFormat >= FORMAT) {
                    throw new IllegalStateException("evolution of " + type.getName() + " names format " + lastFormat
                            + "; it must be older than the current format " + FORMAT);
                }
                evolutions.add(new Evolution<>(type, id, lastFormat, legacyShape, upgrade));
            }
        };
        for (KryoRegistrations r : platformRegistrations(SwarmKryo.class.getClassLoader())) {
            r.register(registrar);
        }
        for (Evolution<?, ?> e : evolutions) {
            if (!Integer.valueOf(e.id()).equals(byClass.get(e.type()))) {
                throw new IllegalStateException("evolved type " + e.type().getName() + " must also be registered under "
                        + e.id());
            }
        }
        return byClass;
    }

    /**
     * The {@link KryoRegistrations} providers on the class path, instantiated only when they are the platform's own:
     * this runs at system start, before any pack is admitted, so a provider a pack's jar names (pack code) must not
     * run. Each provider's class is looked at without being initialised ({@link ServiceLoader.Provider#type}); one
     * outside {@code org.nexusswarm}, or in a pack's package ({@code org.nexusswarm.packs.<pack>}, all but
     * {@code org.nexusswarm.packs.admission}), stops the start with its name. Packs declare their payload types in
     * {@code META-INF/nexus/payload-types.properties} instead, which the packs module's registrations read.
     */
    static List<KryoRegistrations> platformRegistrations(ClassLoader loader) {
        List<KryoRegistrations> out = new ArrayList<>();
        for (ServiceLoader.Provider<KryoRegistrations> p
                : ServiceLoader.load(KryoRegistrations.class, loader).stream().toList()) {
            String name = p.type().getName();
            if (!isPlatformClass(name)) {
                throw new IllegalStateException("Kryo registrations " + name + " (named in META-INF/services/"
                        + KryoRegistrations.class.getName() + ") are not a platform module's and were not run: a "
                        + "pack declares its payload types in META-INF/nexus/payload-types.properties");
            }
            out.add(p.get());
        }
        return out;
    }

    static boolean isPlatformClass(String name) {
        if (!name.startsWith("org.nexusswarm.")) {
            return false;
        }
        if (!name.startsWith("org.nexusswarm.packs.")) {
            return true;
        }
        String rest = name.substring("org.nexusswarm.packs.".length());
        return rest.indexOf('.') < 0 || rest.startsWith("admission.");
    }

    /** An old shape of a stored type: how to read it from bytes of format {@code lastFormat} or older. */
    private record Evolution<T, L extends Record>(Class<T> type, int id, int lastFormat, Class<L> legacyShape,
            java.util.function.Function<L, T> upgrade) {

        Serializer<T> reader() {
            com.esotericsoftware.kryo.serializers.RecordSerializer<L> old =
                    new com.esotericsoftware.kryo.serializers.RecordSerializer<>(legacyShape);
            return new Serializer<>(false, true) {
                @Override
                public void write(Kryo kryo, Output output, T object) {
                    throw new KryoException("a reader of stored format " + lastFormat + " never writes");
                }

                @Override
                public T read(Kryo kryo, Input input, Class<? extends T> ignored) {
                    return upgrade.apply(old.read(kryo, input, legacyShape));
                }
            };
        }
    }

    /** Package-private for the test that proves registering a class does not initialise it. */
    static Kryo newKryo(Map<Class<?>, Integer> registered, Consumer<Kryo> extraConfig, int maxDepth) {
        Kryo kryo = new GuardedKryo(maxDepth);
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        // Records and classes with no-arg constructors use them; anything else falls back to Objenesis.
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
        registerJdkTypes(kryo);
        extraConfig.accept(kryo);
        BoundedSerializers.ImmutableLists lists = new BoundedSerializers.ImmutableLists();
        registered.forEach((type, id) -> {
            if (List.class.isAssignableFrom(type) && !type.isRecord()) {
                // A module's own immutable List class: written as a list, read back as List.of.
                kryo.register(type, lists, id);
            } else {
                kryo.register(type, id);
            }
        });
        return kryo;
    }

    /**
     * JDK types with fixed ids 20-49; JDK 17's immutable collections need Kryo's dedicated serializers. Arrays
     * and presized collections use {@link BoundedSerializers}, so a forged length cannot exhaust the heap.
     */
    private static void registerJdkTypes(Kryo kryo) {
        // Primitive arrays keep Kryo's serializers: their lengths are checked by BoundedInput.
        kryo.register(byte[].class, new DefaultArraySerializers.ByteArraySerializer(), 20);
        kryo.register(long[].class, new DefaultArraySerializers.LongArraySerializer(), 21);
        kryo.register(double[].class, new DefaultArraySerializers.DoubleArraySerializer(), 22);
        kryo.register(String[].class, new BoundedSerializers.Strings(), 23);
        kryo.register(ArrayList.class, new BoundedSerializers.MutableCollections(), 24);
        kryo.register(HashMap.class, new BoundedSerializers.MutableMaps(), 25);
        kryo.register(TreeMap.class, new BoundedSerializers.TreeMaps(), 26);
        BoundedSerializers.ImmutableLists immutableLists = new BoundedSerializers.ImmutableLists();
        kryo.register(List.of().getClass(), immutableLists, 27);
        kryo.register(List.of(1).getClass(), immutableLists, 28);
        BoundedSerializers.ImmutableSets immutableSets = new BoundedSerializers.ImmutableSets();
        kryo.register(Set.of().getClass(), immutableSets, 29);
        kryo.register(Set.of(1).getClass(), immutableSets, 30);
        BoundedSerializers.ImmutableMaps immutableMaps = new BoundedSerializers.ImmutableMaps();
        kryo.register(Map.of().getClass(), immutableMaps, 31);
        kryo.register(Map.of(1, 1).getClass(), immutableMaps, 32);
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
