package org.nexusswarm.safety.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.memory.chronotope.Chronotope;
import org.nexusswarm.memory.chronotope.HashChain;

/**
 * The hash chain must cover every field of every safety event: a field outside the hash could be rewritten in
 * a stored journal without breaking a single link.
 */
class SafetyEventHashTest {

    private static final Chronotope C =
            new Chronotope(1_790_000_000_000L, 5, 99L << 16, "cell-1", "ab".repeat(32), "cd".repeat(32));

    @TestFactory
    Stream<DynamicTest> changingAnyFieldOfASafetyEventChangesItsHash() {
        return Arrays.stream(SafetyEvent.class.getPermittedSubclasses()).flatMap(type -> {
            RecordComponent[] components = type.getRecordComponents();
            Object[] base = Arrays.stream(components).map(c -> sample(c.getType(), c.getName())).toArray();
            SafetyEvent original = construct(type, base);
            return Arrays.stream(components).map(c -> dynamicTest(type.getSimpleName() + "." + c.getName(), () -> {
                Object[] args = base.clone();
                int i = Arrays.asList(components).indexOf(c);
                args[i] = changed(args[i]);
                SafetyEvent variant = construct(type, args);
                assertNotEquals(original, variant);
                assertNotEquals(HashChain.hashOf(original), HashChain.hashOf(variant),
                        c.getName() + " of " + type.getSimpleName() + " is not covered by the hash chain");
            }));
        });
    }

    @TestFactory
    Stream<DynamicTest> everySafetyEventSurvivesKryo() {
        SwarmKryo kryo = SwarmKryo.withoutActorRefs();
        return Arrays.stream(SafetyEvent.class.getPermittedSubclasses()).map(type -> dynamicTest(type.getSimpleName(),
                () -> {
                    Object[] args = Arrays.stream(type.getRecordComponents())
                            .map(c -> sample(c.getType(), c.getName())).toArray();
                    SafetyEvent event = construct(type, args);
                    SafetyEvent copy = (SafetyEvent) kryo.fromBytes(kryo.toBytes(event));
                    assertEquals(event, copy);
                    assertEquals(HashChain.hashOf(event), HashChain.hashOf(copy));
                }));
    }

    private static Object sample(Class<?> type, String name) {
        if (type == Chronotope.class) {
            return C;
        }
        if (type == String.class) {
            return name + "-value";
        }
        if (type == long.class) {
            return 41L;
        }
        if (type == int.class) {
            return 2;
        }
        if (type == RefusalCode.class) {
            return RefusalCode.BAD_SIGNATURE;
        }
        throw new IllegalArgumentException("add a sample for " + type);
    }

    private static Object changed(Object value) {
        if (value instanceof Chronotope c) {
            return new Chronotope(c.wallTimeMillis(), c.sequence(), c.hlc() + 1, c.place(), c.inputDigest(),
                    c.previousHash());
        }
        if (value instanceof String s) {
            return s + "x";
        }
        if (value instanceof Long l) {
            return l + 1;
        }
        if (value instanceof Integer i) {
            return i + 1;
        }
        if (value instanceof RefusalCode) {
            return RefusalCode.UNKNOWN_SENDER;
        }
        throw new IllegalArgumentException("add a change for " + value.getClass());
    }

    private static SafetyEvent construct(Class<?> type, Object[] args) {
        try {
            Class<?>[] types = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new);
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            return (SafetyEvent) constructor.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
