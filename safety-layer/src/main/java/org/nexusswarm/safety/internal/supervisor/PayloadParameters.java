package org.nexusswarm.safety.internal.supervisor;

import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.PayloadSchema;

/**
 * Reads the policy parameters of an intent from the payload it will actually send, as its logic's
 * {@link PayloadSchema}s declare, so policy judges what travels and not what the logic says.
 *
 * <p>Rules (fail closed): a payload whose type the logic does not declare, or declares for other action classes,
 * is refused ({@code PAYLOAD_NOT_DECLARED}); so is every payload of a logic that declares nothing, or whose
 * declarations are broken (a parameter that is not a numeric record component, conflicting entries for one type,
 * {@code payloads()} throwing). A parameter the intent states must equal the payload's value
 * ({@code PARAMETER_MISMATCH}); parameters the payload carries but the intent does not restate still count. An
 * intent without a payload carries nothing to read: it may state no parameters.
 *
 * <p>Components are read from the record's fields, never through accessors, so no logic code runs in the
 * supervisor while it decides. Numbers become doubles; a null boxed number is absent.
 */
final class PayloadParameters {

    sealed interface Result permits Read, Refusal {}

    /** The parameters read from the payload: what policy evaluates. */
    record Read(Map<String, Double> parameters) implements Result {
        Read {
            parameters = Map.copyOf(parameters);
        }
    }

    record Refusal(RefusalCode code, String detail) implements Result {}

    /** One declared payload type, validated: its fields to read, or why it cannot be read. */
    private record Declared(Set<String> actionClasses, Map<String, Field> fields, String problem) {}

    private final String logicVersion;
    private final Map<Class<?>, Declared> byType;
    private final String broken;

    private PayloadParameters(String logicVersion, Map<Class<?>, Declared> byType, String broken) {
        this.logicVersion = logicVersion;
        this.byType = byType;
        this.broken = broken;
    }

    /**
     * The declarations of {@code logic}, validated; calls its {@code version()} and {@code payloads()} on this
     * thread (tools only: a live supervisor gets them from its logic child, read on a watchdog thread).
     */
    static PayloadParameters of(AgentLogic<?> logic) {
        String version = String.valueOf(logic.version());
        List<PayloadSchema> schemas;
        try {
            schemas = List.copyOf(logic.payloads());
        } catch (RuntimeException e) {
            return broken(version, "its payload declarations fail: " + e.getClass().getSimpleName());
        }
        return of(version, schemas);
    }

    /** Declarations that refuse every payload, for {@code why}. */
    static PayloadParameters broken(String logicVersion, String why) {
        return new PayloadParameters(logicVersion, Map.of(), why);
    }

    /** The schemas a logic of {@code logicVersion} declared, validated (no logic code runs here). */
    static PayloadParameters of(String version, List<PayloadSchema> schemas) {
        Map<Class<?>, Declared> byType = new HashMap<>();
        for (PayloadSchema schema : schemas) {
            Declared next = validate(schema);
            Declared before = byType.get(schema.type());
            if (before != null) {
                next = before.fields().keySet().equals(next.fields().keySet()) && before.problem() == null
                        && next.problem() == null
                        ? new Declared(union(before.actionClasses(), next.actionClasses()), before.fields(), null)
                        : new Declared(Set.of(), Map.of(), "declared twice with different parameters");
            }
            byType.put(schema.type(), next);
        }
        return new PayloadParameters(version, Map.copyOf(byType), null);
    }

    Result check(Intent intent) {
        SwarmMessage payload = intent.payload();
        if (payload == null) {
            return intent.parameters().isEmpty() ? new Read(Map.of())
                    : new Refusal(RefusalCode.PARAMETER_MISMATCH, "intent " + intent.intentId() + " states "
                            + new TreeMap<>(intent.parameters()) + " but carries no payload to read them from");
        }
        String type = payload.getClass().getName();
        if (broken != null) {
            return new Refusal(RefusalCode.PAYLOAD_NOT_DECLARED, "logic " + logicVersion + ": " + broken);
        }
        Declared declared = byType.get(payload.getClass());
        if (declared == null) {
            return new Refusal(RefusalCode.PAYLOAD_NOT_DECLARED, "payload type " + type + " is not declared by logic "
                    + logicVersion);
        }
        if (declared.problem() != null) {
            return new Refusal(RefusalCode.PAYLOAD_NOT_DECLARED, "payload type " + type + " of logic " + logicVersion
                    + " is badly declared: " + declared.problem());
        }
        if (!declared.actionClasses().contains(intent.actionClass())) {
            return new Refusal(RefusalCode.PAYLOAD_NOT_DECLARED, "payload type " + type + " is declared for "
                    + new java.util.TreeSet<>(declared.actionClasses()) + ", not for '" + intent.actionClass() + "'");
        }
        Map<String, Double> read = new LinkedHashMap<>();
        for (Map.Entry<String, Field> f : declared.fields().entrySet()) {
            Object value;
            try {
                value = f.getValue().get(payload);
            } catch (IllegalAccessException e) {
                return new Refusal(RefusalCode.PAYLOAD_NOT_DECLARED, "parameter " + f.getKey() + " of " + type
                        + " cannot be read");
            }
            if (value instanceof Number n) { // a null boxed number is absent
                read.put(f.getKey(), n.doubleValue());
            }
        }
        for (Map.Entry<String, Double> stated : intent.parameters().entrySet()) {
            Double actual = read.get(stated.getKey());
            if (actual == null || stated.getValue() == null || Double.compare(actual, stated.getValue()) != 0) {
                return new Refusal(RefusalCode.PARAMETER_MISMATCH, "intent " + intent.intentId() + " states "
                        + stated.getKey() + " = " + stated.getValue() + " but its payload says "
                        + (actual == null ? "nothing" : actual));
            }
        }
        return new Read(read);
    }

    private static Declared validate(PayloadSchema schema) {
        Class<?> type = schema.type();
        Map<String, Field> fields = new LinkedHashMap<>();
        if (schema.parameters().isEmpty()) {
            return new Declared(schema.actionClasses(), Map.of(), null);
        }
        if (!type.isRecord()) {
            return new Declared(Set.of(), Map.of(), "parameters are read from record components, and "
                    + type.getSimpleName() + " is not a record");
        }
        for (String name : schema.parameters()) {
            RecordComponent component = null;
            for (RecordComponent c : type.getRecordComponents()) {
                if (c.getName().equals(name)) {
                    component = c;
                }
            }
            if (component == null || !numeric(component.getType())) {
                return new Declared(Set.of(), Map.of(), "'" + name + "' is not a numeric component");
            }
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                fields.put(name, field);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return new Declared(Set.of(), Map.of(), "'" + name + "' cannot be read");
            }
        }
        return new Declared(schema.actionClasses(), Map.copyOf(fields), null);
    }

    private static boolean numeric(Class<?> type) {
        // Only JDK number types: a pack's own Number subclass would run its code in doubleValue().
        return type == int.class || type == long.class || type == double.class || type == float.class
                || type == short.class || type == byte.class || type == Integer.class || type == Long.class
                || type == Double.class || type == Float.class || type == Short.class || type == Byte.class;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
