package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.memory.chronotope.Chronotope;
import org.nexusswarm.memory.chronotope.HashChain;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.internal.monitor.EscalationLevel;

/**
 * The hash chain must cover every field of every safety event (and every field of a composite field, such as an
 * approval requirement): a field outside the hash could be rewritten in a stored journal without breaking a
 * single link.
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
            return IntStream.range(0, components.length).boxed().flatMap(i -> {
                List<Object> variants = changes(base[i]);
                return IntStream.range(0, variants.size()).mapToObj(v -> dynamicTest(type.getSimpleName() + "."
                        + components[i].getName() + (variants.size() > 1 ? " #" + (v + 1) : ""), () -> {
                            Object[] args = base.clone();
                            args[i] = variants.get(v);
                            SafetyEvent variant = construct(type, args);
                            assertNotEquals(original, variant);
                            assertNotEquals(HashChain.hashOf(original), HashChain.hashOf(variant), components[i].getName()
                                    + " of " + type.getSimpleName() + " is not covered by the hash chain (change #"
                                    + (v + 1) + ": " + variants.get(v) + ")");
                        }));
            });
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

    private static final ApprovalRequirement REQUIREMENT = new ApprovalRequirement(ApprovalRequirement.Kind.QUORUM, 2,
            List.of("did:nexus:a", "did:nexus:b", "did:nexus:c"), Duration.ofMinutes(1));

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
        if (type == double.class) {
            return 0.75;
        }
        if (type == boolean.class) {
            return true;
        }
        if (type == RefusalCode.class) {
            return RefusalCode.BAD_SIGNATURE;
        }
        if (type == EscalationLevel.class) {
            return EscalationLevel.WARN;
        }
        if (type == ApprovalRequirement.class) {
            return REQUIREMENT;
        }
        if (type == List.class && name.equals("counts")) {
            return List.of(new SafetyEvent.RefusalsAggregated.RefusalCount("junk-1", RefusalCode.UNKNOWN_SENDER, 3),
                    new SafetyEvent.RefusalsAggregated.RefusalCount("junk-2", RefusalCode.REPLAYED, 1));
        }
        if (type == List.class) {
            return List.of(name + "-1", name + "-2");
        }
        if (type == Map.class) {
            return Map.of("mw", 40.0, "fuel", 7.5);
        }
        if (type == byte[].class) {
            return new byte[] {1, 2, 3};
        }
        throw new IllegalArgumentException("add a sample for " + type);
    }

    /** Every way a value is changed: one for plain values, one per field (or kind of edit) for composite ones. */
    @SuppressWarnings("unchecked")
    private static List<Object> changes(Object value) {
        if (value instanceof Chronotope c) {
            return List.of(new Chronotope(c.wallTimeMillis(), c.sequence(), c.hlc() + 1, c.place(), c.inputDigest(),
                    c.previousHash()));
        }
        if (value instanceof List<?> l && !l.isEmpty()
                && l.get(0) instanceof SafetyEvent.RefusalsAggregated.RefusalCount first) {
            List<Object> out = new ArrayList<>();
            for (Object changed : List.of(
                    new SafetyEvent.RefusalsAggregated.RefusalCount(first.source() + "x", first.code(), first.count()),
                    new SafetyEvent.RefusalsAggregated.RefusalCount(first.source(), RefusalCode.STALE, first.count()),
                    new SafetyEvent.RefusalsAggregated.RefusalCount(first.source(), first.code(), first.count() + 1))) {
                List<Object> copy = new ArrayList<>(l);
                copy.set(0, changed);
                out.add(List.copyOf(copy));
            }
            out.add(List.copyOf(l.subList(1, l.size())));
            return out;
        }
        if (value instanceof String s) {
            return List.of(s + "x");
        }
        if (value instanceof Long l) {
            return List.of(l + 1);
        }
        if (value instanceof Integer i) {
            return List.of(i + 1);
        }
        if (value instanceof Double d) {
            return List.of(d + 0.125);
        }
        if (value instanceof Boolean b) {
            return List.of(!b);
        }
        if (value instanceof RefusalCode) {
            return List.of(RefusalCode.UNKNOWN_SENDER);
        }
        if (value instanceof EscalationLevel) {
            return List.of(EscalationLevel.THROTTLE);
        }
        if (value instanceof ApprovalRequirement r) {
            List<String> otherApprovers = new ArrayList<>(r.approvers());
            otherApprovers.set(0, "did:nexus:z");
            return List.of(
                    new ApprovalRequirement(ApprovalRequirement.Kind.CO_SIGN, r.k(), r.approvers(), r.timeout()),
                    new ApprovalRequirement(r.kind(), r.k() + 1, r.approvers(), r.timeout()),
                    new ApprovalRequirement(r.kind(), r.k(), otherApprovers, r.timeout()),
                    new ApprovalRequirement(r.kind(), r.k(), r.approvers(), r.timeout().plusSeconds(1)));
        }
        if (value instanceof List<?> list) {
            List<Object> more = new ArrayList<>(list);
            more.add("extra");
            List<Object> changed = new ArrayList<>(list);
            changed.set(0, list.get(0) + "x");
            return List.of(List.copyOf(more), List.copyOf(changed));
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Double> more = new TreeMap<>((Map<String, Double>) map);
            more.put("extra", 1.0);
            Map<String, Double> changed = new TreeMap<>((Map<String, Double>) map);
            changed.put("mw", changed.get("mw") + 1);
            return List.of(Map.copyOf(more), Map.copyOf(changed));
        }
        if (value instanceof byte[] bytes) {
            byte[] changed = bytes.clone();
            changed[0]++;
            return List.of(changed);
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
