package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Step;
import org.nexusswarm.safety.api.admission.AdmissionRules;
import org.nexusswarm.safety.api.admission.BytecodeAdmission;
import org.nexusswarm.safety.api.admission.PackFiles;
import redteam.packs.oom.OomLogic;

/**
 * Red team (found by review): a step that allocates a primitive array of 2^31 elements passes admission (it bounds
 * no allocation); the OutOfMemoryError must become a journaled fault, not leave the runner (where Pekko would
 * treat it as fatal and, with jvm-exit-on-fatal-error, stop the node's JVM).
 */
class StepEscapeTest {

    private static final class Grabber implements AgentLogic<Integer> {
        @Override
        public String version() {
            return "grab-1";
        }

        @Override
        public Integer init(AgentContext context) {
            return 0;
        }

        @Override
        public Step<Integer> step(Integer state, AgentInput input) {
            return Step.of(OomLogic.grab().length);
        }
    }

    @Test
    void anAllocationTheHeapCannotHoldIsAFaultNotAnEscape() {
        assertEquals(List.of(), new BytecodeAdmission(AdmissionRules.jdkAndAgentApi())
                .check(PackFiles.locate(getClass().getClassLoader(), "redteam.packs.oom.OomLogic", List.of())),
                "the pack passes admission: the runner is the last line");
        LogicChild.Runner<Integer> runner = new LogicChild.Runner<>(new Grabber(),
                new LogicChild.Budget(Duration.ofMillis(100), 4));
        assertEquals(null, runner.start(new AgentContext(null, "p")));
        LogicChild.Runner.Result result = runner.step(new AgentInput.Outcome("i", true, "r", 1L));
        assertTrue(result.fault().startsWith("logic fault: step threw OutOfMemoryError"), result.fault());
        assertEquals(List.of(), result.intents());
    }
}
