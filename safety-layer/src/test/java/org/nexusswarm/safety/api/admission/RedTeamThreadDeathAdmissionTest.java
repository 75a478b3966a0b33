package org.nexusswarm.safety.api.admission;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Red team (session 3b): the watchdog's only weapon against a step that never returns is {@code Thread.stop}, and a
 * pack may catch what it throws. {@code catch (Throwable)} and a {@code finally} that jumps back into its loop both
 * swallow every {@code ThreadDeath}; admission refuses neither, so the watchdog gives up after
 * {@code logic-stop-attempts} and the thread burns a core until the JVM restarts
 * ({@code RedTeamSwallowedStopTest} shows the watchdog side). One such entity per core takes a node's CPU.
 */
class RedTeamThreadDeathAdmissionTest {

    private final BytecodeAdmission admission = new BytecodeAdmission(AdmissionRules.jdkAndAgentApi());

    private List<String> findings(String packClass) {
        PackFiles files = PackFiles.locate(getClass().getClassLoader(), packClass, List.of());
        assertFalse(files.entries().isEmpty(), "no files found for " + packClass);
        return admission.check(files).stream().map(BytecodeFinding::describe).collect(Collectors.toList());
    }

    @Test
    void aHandlerThatCanSwallowThreadDeathIsRefused() {
        List<String> found = findings("redteam.packs.swallow.SwallowingLogic");
        assertFalse(found.stream().noneMatch(f -> f.contains("SwallowingLogic.step")),
                "catch (Throwable) around a loop in step was admitted: " + found);
        assertFalse(found.stream().noneMatch(f -> f.contains("SwallowingLogic.viaFinally")),
                "a finally that continues its loop (catch-any, no rethrow) was admitted: " + found);
    }
}
