package org.nexusswarm.safety.internal.supervisor;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;

/**
 * A payload as approvers read it, rendered by the platform from its record fields (never its own {@code toString}
 * or accessors, which are pack code and could show approvers something other than what would be sent). JDK
 * scalars are rendered as themselves, enums by name, records, collections, maps and arrays recursively, within a
 * depth and an element bound; anything else by its class name only.
 */
final class PayloadRendering {

    private static final int MAX_DEPTH = 4;
    private static final int MAX_ELEMENTS = 20;

    private PayloadRendering() {}

    static String render(Object value) {
        StringBuilder out = new StringBuilder();
        render(value, 0, out);
        return out.toString();
    }

    private static void render(Object value, int depth, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            out.append(s); // as a record's own toString shows it: the same text for records that do not override it
        } else if (value instanceof Number || value instanceof Boolean || value instanceof Character) {
            if (value.getClass().getName().startsWith("java.")) {
                out.append(value);
            } else {
                out.append(value.getClass().getSimpleName());
            }
        } else if (value instanceof Enum<?> e) {
            out.append(e.name());
        } else if (depth >= MAX_DEPTH) {
            out.append("…");
        } else if (value.getClass().isRecord()) {
            record(value, depth, out);
        } else if (value instanceof Collection<?> c) {
            elements(c, depth, out);
        } else if (value instanceof Map<?, ?> m) {
            out.append('{');
            int n = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (n++ == MAX_ELEMENTS) {
                    out.append(", … ").append(m.size() - MAX_ELEMENTS).append(" more");
                    break;
                }
                out.append(n > 1 ? ", " : "");
                render(e.getKey(), depth + 1, out);
                out.append('=');
                render(e.getValue(), depth + 1, out);
            }
            out.append('}');
        } else if (value.getClass().isArray()) {
            int length = Array.getLength(value);
            out.append('[');
            for (int i = 0; i < Math.min(length, MAX_ELEMENTS); i++) {
                out.append(i > 0 ? ", " : "");
                render(Array.get(value, i), depth + 1, out);
            }
            out.append(length > MAX_ELEMENTS ? ", … " + (length - MAX_ELEMENTS) + " more]" : "]");
        } else {
            out.append(value.getClass().getSimpleName());
        }
    }

    private static void record(Object value, int depth, StringBuilder out) {
        out.append(value.getClass().getSimpleName()).append('[');
        RecordComponent[] components = value.getClass().getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            out.append(i > 0 ? ", " : "").append(components[i].getName()).append('=');
            try {
                Field f = value.getClass().getDeclaredField(components[i].getName());
                f.setAccessible(true);
                render(f.get(value), depth + 1, out);
            } catch (ReflectiveOperationException | RuntimeException e) {
                out.append("(unreadable)");
            }
        }
        out.append(']');
    }

    private static void elements(Collection<?> c, int depth, StringBuilder out) {
        out.append('[');
        int n = 0;
        for (Object e : c) {
            if (n++ == MAX_ELEMENTS) {
                out.append(", … ").append(c.size() - MAX_ELEMENTS).append(" more");
                break;
            }
            out.append(n > 1 ? ", " : "");
            render(e, depth + 1, out);
        }
        out.append(']');
    }
}
