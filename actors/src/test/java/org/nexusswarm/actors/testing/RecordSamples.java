package org.nexusswarm.actors.testing;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;

/**
 * Builds a sample instance of any record (or enum) by reflection, for serialization round-trip tests over
 * every class the modules register with Kryo.
 *
 * <p>Components get distinct, non-default values (so a serializer that drops or swaps a field fails the
 * round trip): {@code String}, primitives and their boxes, arrays, {@code List}/{@code Set}/{@code Map}/
 * {@code Optional} (immutable JDK collections, element types from the generic signature), enums, nested
 * records, {@code UUID}/{@code Instant}/{@code Duration}/{@code URI}, and interface-typed components such as
 * {@link SwarmMessage}: a sealed interface uses one of its permitted records, any other interface the first
 * (by name) of the {@linkplain #over candidate classes} that implements it. Typed {@link ActorRef}s are only
 * produced when a ref was given with {@link #withActorRef}; otherwise such classes are reported as not
 * sampleable. Records whose constructors validate their input get an override with {@link #with}
 * ({@link Did} has one by default).
 *
 * <p>Reusable from any module's tests: pass {@code SwarmKryo.registeredClasses().keySet()} as candidates.
 */
public final class RecordSamples {

    /** Thrown (and reported by {@link #trySample}) when a sample would need an actor reference. */
    public static final class NeedsActorRef extends RuntimeException {
        NeedsActorRef(String path) {
            super("needs a typed ActorRef at " + path);
        }
    }

    private static final int MAX_DEPTH = 6;

    private final List<Class<?>> candidates;
    private final Map<Class<?>, Supplier<?>> overrides;
    private final ActorRef<?> actorRef;
    private final Deque<Class<?>> inProgress = new ArrayDeque<>();
    private long counter;

    private RecordSamples(List<Class<?>> candidates, Map<Class<?>, Supplier<?>> overrides, ActorRef<?> actorRef) {
        this.candidates = candidates;
        this.overrides = overrides;
        this.actorRef = actorRef;
    }

    /** Samples whose interface-typed components are filled from {@code candidateClasses} (e.g. all registered). */
    public static RecordSamples over(Collection<Class<?>> candidateClasses) {
        List<Class<?>> sorted = candidateClasses.stream()
                .filter(c -> c.isRecord() || c.isEnum())
                .sorted(Comparator.comparing(Class::getName))
                .toList();
        Map<Class<?>, Supplier<?>> defaults = new LinkedHashMap<>();
        defaults.put(Did.class, () -> Did.of(Ed25519.generate().publicKey()));
        return new RecordSamples(sorted, defaults, null);
    }

    /** A copy that fills typed ActorRef components with {@code ref}. */
    public RecordSamples withActorRef(ActorRef<?> ref) {
        return new RecordSamples(candidates, overrides, ref);
    }

    /** A copy that builds {@code type} with {@code supplier} (for records whose constructors validate). */
    public <T> RecordSamples with(Class<T> type, Supplier<? extends T> supplier) {
        Map<Class<?>, Supplier<?>> more = new LinkedHashMap<>(overrides);
        more.put(type, supplier);
        return new RecordSamples(candidates, more, actorRef);
    }

    /** A sample of {@code type}; throws {@link NeedsActorRef} or {@link IllegalArgumentException} if impossible. */
    @SuppressWarnings("unchecked")
    public <T> T sample(Class<T> type) {
        inProgress.clear();
        return (T) valueOf(type, type, type.getSimpleName());
    }

    /** A sample, or empty when {@code type} needs an actor reference and none was given. */
    public <T> Optional<T> trySample(Class<T> type) {
        try {
            return Optional.of(sample(type));
        } catch (NeedsActorRef e) {
            return Optional.empty();
        }
    }

    /** Every constant of an enum, or a single sample of anything else (empty if it needs a ref). */
    public List<Object> samplesOf(Class<?> type) {
        if (type.isEnum()) {
            return List.of(type.getEnumConstants());
        }
        return trySample(type).<List<Object>>map(List::of).orElse(List.of());
    }

    private Object valueOf(Class<?> raw, Type generic, String path) {
        Supplier<?> override = overrides.get(raw);
        if (override != null) {
            return override.get();
        }
        long n = ++counter;
        if (raw == String.class) {
            return "s" + n + "-é✓";
        }
        if (raw == int.class || raw == Integer.class) {
            return (int) (1000 + n);
        }
        if (raw == long.class || raw == Long.class) {
            return 5_000_000_000L + n;
        }
        if (raw == double.class || raw == Double.class) {
            return n + 0.25;
        }
        if (raw == float.class || raw == Float.class) {
            return n + 0.5f;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return Boolean.TRUE; // the default is false, so a dropped field shows
        }
        if (raw == short.class || raw == Short.class) {
            return (short) (100 + n);
        }
        if (raw == byte.class || raw == Byte.class) {
            return (byte) (n | 1);
        }
        if (raw == char.class || raw == Character.class) {
            return (char) ('a' + n % 26);
        }
        if (raw == UUID.class) {
            return new UUID(n, ~n);
        }
        if (raw == Instant.class) {
            return Instant.ofEpochSecond(1_700_000_000L + n, 123_000_000L);
        }
        if (raw == Duration.class) {
            return Duration.ofMillis(1500 + n);
        }
        if (raw == URI.class) {
            return URI.create("nexus://sample/" + n);
        }
        if (raw.isArray()) {
            return arrayOf(raw.getComponentType(), path);
        }
        if (raw.isEnum()) {
            Object[] constants = raw.getEnumConstants();
            // Not the first constant: ordinal 0 is what a broken serializer would produce by default.
            return constants[constants.length > 1 ? 1 + (int) (n % (constants.length - 1)) : 0];
        }
        if (ActorRef.class.isAssignableFrom(raw)) {
            if (actorRef == null) {
                throw new NeedsActorRef(path);
            }
            return actorRef;
        }
        if (raw == List.class || raw == Collection.class) {
            Type element = typeArgument(generic, 0);
            return List.of(valueOf(rawOf(element), element, path + "[0]"), valueOf(rawOf(element), element, path + "[1]"));
        }
        if (raw == Set.class) {
            Type element = typeArgument(generic, 0);
            Set<Object> set = new LinkedHashSet<>();
            set.add(valueOf(rawOf(element), element, path + "{0}"));
            set.add(valueOf(rawOf(element), element, path + "{1}"));
            return Set.copyOf(set);
        }
        if (raw == Map.class) {
            Type key = typeArgument(generic, 0);
            Type value = typeArgument(generic, 1);
            Map<Object, Object> map = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                map.put(valueOf(rawOf(key), key, path + ".key"), valueOf(rawOf(value), value, path + ".value"));
            }
            return Map.copyOf(map);
        }
        if (raw == Optional.class) {
            Type element = typeArgument(generic, 0);
            return Optional.of(valueOf(rawOf(element), element, path + ".get"));
        }
        if (raw.isRecord()) {
            return recordOf(raw, path);
        }
        if (raw.isInterface() || Modifier.isAbstract(raw.getModifiers())) {
            return implementationOf(raw, path);
        }
        throw new IllegalArgumentException("RecordSamples cannot build " + raw.getName() + " at " + path
                + ": add an override with RecordSamples.with(...)");
    }

    private Object arrayOf(Class<?> component, String path) {
        Object array = Array.newInstance(component, 3);
        for (int i = 0; i < 3; i++) {
            Array.set(array, i, valueOf(component, component, path + "[" + i + "]"));
        }
        return array;
    }

    private Object recordOf(Class<?> type, String path) {
        if (inProgress.size() > MAX_DEPTH || inProgress.contains(type)) {
            throw new IllegalArgumentException("recursive record " + type.getName() + " at " + path);
        }
        inProgress.push(type);
        try {
            RecordComponent[] components = type.getRecordComponents();
            Object[] args = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                args[i] = valueOf(types[i], components[i].getGenericType(), path + "." + components[i].getName());
            }
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("the constructor of " + type.getName() + " refused generated values "
                    + "(" + e.getCause() + "): add an override with RecordSamples.with(...)", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call the canonical constructor of " + type.getName(), e);
        } finally {
            inProgress.pop();
        }
    }

    /** A permitted subclass of a sealed type, else a candidate implementing it; prefers ones without refs. */
    private Object implementationOf(Class<?> type, String path) {
        List<Class<?>> options;
        if (type == SwarmMessage.class || type == Object.class) {
            // A simple, always-registered message first: keeps nested samples small.
            options = new java.util.ArrayList<>(List.of(EntityAddress.class));
            candidates.stream().filter(SwarmMessage.class::isAssignableFrom).forEach(options::add);
        } else if (type.isSealed()) {
            options = Arrays.stream(type.getPermittedSubclasses())
                    .sorted(Comparator.comparing(Class::getName)).toList();
        } else {
            options = candidates.stream().filter(type::isAssignableFrom).toList();
        }
        NeedsActorRef needsRef = null;
        for (Class<?> option : options) {
            if (option.isInterface() || inProgress.contains(option)) {
                continue;
            }
            long mark = counter;
            try {
                return valueOf(option, option, path + "<" + option.getSimpleName() + ">");
            } catch (NeedsActorRef e) {
                needsRef = e;
                counter = mark;
            } catch (IllegalArgumentException e) {
                counter = mark;
            }
        }
        if (needsRef != null) {
            throw needsRef;
        }
        throw new IllegalArgumentException("no sampleable implementation of " + type.getName() + " at " + path
                + " among " + options);
    }

    private static Type typeArgument(Type generic, int index) {
        if (generic instanceof ParameterizedType p) {
            Type arg = p.getActualTypeArguments()[index];
            if (arg instanceof WildcardType w) {
                return w.getUpperBounds()[0];
            }
            return arg;
        }
        return String.class; // raw collection: strings are always serializable
    }

    private static Class<?> rawOf(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (type instanceof WildcardType w) {
            return rawOf(w.getUpperBounds()[0]);
        }
        return Object.class;
    }
}
