package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.Step;

/** What a step may hand the supervisor: exactly platform classes, whatever erased generics let a pack return. */
class StepShapeTest {

    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.ORCHESTRATOR, "orc-1");

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Step<Long> withParameters(Map raw) {
        return Step.of(1L, new Intent("i-1", "compute.request", TARGET, null, (Map<String, Double>) raw));
    }

    private static String reason(Step<Long> step) {
        return assertThrows(StepShape.Violation.class, () -> StepShape.copy(step, 16)).getMessage();
    }

    @Test
    void aPlainStepIsCopiedUnchanged() {
        Step<Long> step = withParameters(Map.of("mw", 40.0));
        assertEquals(step, StepShape.copy(step, 16));
    }

    @Test
    void aKeyThatIsNotAStringIsAFault() {
        assertEquals("step returned parameters with a key of type java.lang.Integer; parameters are String -> Double",
                reason(withParameters(Map.of(7, 1.0))));
    }

    @Test
    void aValueThatIsNotExactlyADoubleIsAFault() {
        assertTrue(reason(withParameters(Map.of("mw", 40))).contains("value of type java.lang.Integer"));
        assertTrue(reason(withParameters(Map.of("mw", new java.util.concurrent.atomic.AtomicLong(4))))
                .contains("value of type java.util.concurrent.atomic.AtomicLong"));
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aNullKeyIsAFault() {
        // Map.copyOf in Intent refuses nulls; a hand-made Intent subclass is impossible (records are final),
        // so a null key can only arrive through the constructor, which throws on the logic thread.
        Map raw = new HashMap();
        raw.put(null, 1.0);
        assertThrows(NullPointerException.class, () -> withParameters(raw));
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aListElementThatIsNotAnIntentIsAFault() {
        List raw = new ArrayList();
        raw.add("not an intent");
        assertTrue(reason(new Step<>(1L, (List<Intent>) raw)).contains("intents element of type java.lang.String"));
    }

    @Test
    void tooManyParametersIsAFault() {
        Map<String, Double> big = new HashMap<>();
        for (int i = 0; i <= StepShape.MAX_PARAMETERS; i++) {
            big.put("p" + i, 1.0);
        }
        assertTrue(reason(withParameters(big)).contains("parameters (limit " + StepShape.MAX_PARAMETERS + ")"));
    }

    @Test
    void tooManyIntentsIsAFault() {
        Intent one = new Intent("i", "compute.request", TARGET, null);
        assertThrows(StepShape.Violation.class, () -> StepShape.copy(Step.of(1L, one, one, one), 2));
    }
}
