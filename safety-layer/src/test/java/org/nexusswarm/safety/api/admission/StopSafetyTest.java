package org.nexusswarm.safety.api.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Which handlers that can catch {@code ThreadDeath} admission lets through ({@link StopSafety}). */
class StopSafetyTest {

    private final BytecodeAdmission admission = new BytecodeAdmission(AdmissionRules.jdkAndAgentApi());

    private List<BytecodeFinding> findings() {
        PackFiles files = PackFiles.locate(getClass().getClassLoader(), "redteam.packs.handlers.Handlers",
                List.of());
        return admission.check(files);
    }

    @Test
    void exactlyTheHandlersThatCanKeepAStoppedThreadAreRefused() {
        Set<String> refused = new TreeSet<>();
        for (BytecodeFinding f : findings()) {
            if (f.category().equals(StopSafety.CATEGORY)) {
                refused.add(f.member().replace("(..)", ""));
            }
        }
        assertEquals(new TreeSet<>(Set.of("catchThrowableReturns", "catchErrorLoops", "catchThreadDeathSwallows",
                "catchThrowableThrowsOther", "finallyCallsMethod", "finallyDivides", "finallyReadsArray",
                "catchThrowableRethrowsAnotherLocal", "tryWithResources", "synchronizedBlock")), refused);
    }

    @Test
    void theFindingSaysWhatTheHandlerDoesWrong() {
        List<String> lines = findings().stream().map(BytecodeFinding::describe).toList();
        assertTrue(lines.stream().anyMatch(l -> l.contains("catchThrowableReturns(..)") && l.contains("returns")),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("catchErrorLoops(..)") && l.contains("jumps back")),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("finallyCallsMethod(..)") && l.contains("a call")),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("catchThrowableThrowsOther(..)")), lines.toString());
    }
}
