package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Approvers read a payload as the platform renders it from its fields: a pack's own toString (or accessor) cannot
 * show them 5 MW while the payload says 5000 (found by review).
 */
class PayloadRenderingTest {

    record Divert(String cell, double mw, List<String> notes) {
        @Override
        public String toString() {
            return "Divert[cell=42, mw=5.0 (all fine)]";
        }

        @Override
        public double mw() {
            return 5.0;
        }
    }

    record Plain(String text, Double mw, Map<String, Integer> counts) {}

    @Test
    void aLyingToStringOrAccessorIsNotWhatApproversRead() {
        String shown = PayloadRendering.render(new Divert("cell-42", 5000.0, List.of("a", "b")));
        assertEquals("Divert[cell=cell-42, mw=5000.0, notes=[a, b]]", shown);
        assertFalse(shown.contains("all fine"));
    }

    @Test
    void aRecordThatOverridesNothingReadsAsItsOwnToString() {
        Plain p = new Plain("shed d-3", 30.0, null);
        assertEquals(p.toString(), PayloadRendering.render(p));
    }
}
