package org.nexusswarm.safety.internal.supervisor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.Step;

/**
 * Checks and copies what a step returned, on the logic (watchdog) thread, before any of it reaches the supervisor.
 * Generics are erased, so a pack can hand over its own objects where the platform expects {@code String} keys,
 * {@code Double} values or {@code Intent} elements; the supervisor would then run their {@code compareTo},
 * {@code toString} or {@code hashCode} on its own thread, outside the watchdog. Only exact classes pass
 * ({@code getClass()}, never {@code instanceof} or a pack method), and the copy uses platform collections only.
 */
final class StepShape {

    /** Parameters are a handful of numbers that envelopes bound; more is a logic bug or an attack. */
    static final int MAX_PARAMETERS = 64;

    private StepShape() {}

    /** The reason a step is a fault; the message is the journaled reason. */
    static final class Violation extends RuntimeException {
        Violation(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A platform copy of {@code step}, or throws {@link Violation}. The state stays in the child and is not checked. */
    static <S> Step<S> copy(Step<S> step, int maxIntents) {
        if (step == null) {
            return null;
        }
        if (step.getClass() != Step.class) {
            throw new Violation("step returned a " + step.getClass().getName() + ", not a Step");
        }
        Object intents = step.intents();
        if (intents == null || !intents.getClass().getName().startsWith("java.util.ImmutableCollections$")) {
            throw new Violation("step returned an intents list of type "
                    + (intents == null ? "null" : intents.getClass().getName()));
        }
        List<?> list = (List<?>) intents;
        if (list.size() > maxIntents) {
            throw new Violation("step returned " + list.size() + " intents (limit " + maxIntents + ")");
        }
        List<Intent> copied = new ArrayList<>(list.size());
        for (Object element : list) {
            copied.add(intent(element));
        }
        return new Step<>(step.state(), copied);
    }

    private static Intent intent(Object element) {
        if (element == null || element.getClass() != Intent.class) {
            throw new Violation("step returned an intents element of type "
                    + (element == null ? "null" : element.getClass().getName()) + "; intents are Intent");
        }
        Intent intent = (Intent) element;
        exactString("intent id", intent.intentId());
        exactString("action class", intent.actionClass());
        Object target = intent.target();
        if (target != null && target.getClass() != EntityAddress.class) {
            throw new Violation("step returned a target of type " + target.getClass().getName()
                    + "; targets are EntityAddress");
        }
        return new Intent(intent.intentId(), intent.actionClass(), intent.target(), intent.payload(),
                parameters(intent.parameters()));
    }

    private static void exactString(String what, Object value) {
        if (value != null && value.getClass() != String.class) {
            throw new Violation("step returned an " + what + " of type " + value.getClass().getName()
                    + "; it is a String");
        }
    }

    private static Map<String, Double> parameters(Map<?, ?> parameters) {
        if (parameters == null || !parameters.getClass().getName().startsWith("java.util.ImmutableCollections$")) {
            throw new Violation("step returned parameters of type "
                    + (parameters == null ? "null" : parameters.getClass().getName()));
        }
        if (parameters.size() > MAX_PARAMETERS) {
            throw new Violation("step returned " + parameters.size() + " parameters (limit " + MAX_PARAMETERS + ")");
        }
        Map<String, Double> copied = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : parameters.entrySet()) {
            Object key = entry.getKey();
            Object value = entry.getValue();
            if (key == null || key.getClass() != String.class) {
                throw new Violation("step returned parameters with a key of type "
                        + (key == null ? "null" : key.getClass().getName()) + "; parameters are String -> Double");
            }
            if (value == null || value.getClass() != Double.class) {
                throw new Violation("step returned parameters with a value of type "
                        + (value == null ? "null" : value.getClass().getName()) + "; parameters are String -> Double");
            }
            copied.put((String) key, (Double) value);
        }
        return Map.copyOf(copied);
    }
}
