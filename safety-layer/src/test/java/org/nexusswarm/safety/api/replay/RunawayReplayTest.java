package org.nexusswarm.safety.api.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Step;

/**
 * A logic that never returns cannot hang a replay: every call into it runs under the supervisor's watchdog with its
 * wall-time cap, and the overrun is reported at the input that caused it.
 */
class RunawayReplayTest {

    private static final String LOOPING = "looping/1";
    /** A cap of 300 ms (ten 10 ms budgets are less than step-wall-cap-min). */
    private final ReplayCalls calls = ReplayCalls.from(ConfigFactory.parseString(
            "nexus.swarm.safety { step-budget = 10ms, step-wall-cap-min = 300ms }").withFallback(ConfigFactory.load()));
    private final List<ReplayFinding> findings = new ArrayList<>();
    private final AtomicReference<Thread> stepThread = new AtomicReference<>();

    @AfterEach
    void stop() {
        calls.shutdown();
    }

    /** Proposes like {@link TestLogic} but loops forever on a ping of action {@code loop} (or in init if asked). */
    private AgentLogic<?> looping(boolean inInit) {
        AgentLogic<Long> honest = cast(TestLogic.logic(LOOPING, TestLogic.TARGET));
        return new AgentLogic<Long>() {
            @Override
            public String version() {
                return LOOPING;
            }

            @Override
            public Long init(AgentContext context) {
                while (inInit) {
                    Thread.onSpinWait();
                }
                return honest.init(context);
            }

            @Override
            public Step<Long> step(Long state, AgentInput input) {
                stepThread.set(Thread.currentThread());
                if (input instanceof AgentInput.Inbound in && in.payload() instanceof TestLogic.Ping p
                        && p.action().equals("loop")) {
                    for (long i = 0; ; i++) {
                        Thread.onSpinWait();
                    }
                }
                return honest.step(state, input);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static <S> AgentLogic<S> cast(AgentLogic<?> logic) {
        return (AgentLogic<S>) logic;
    }

    private ReplayReport replay(Episode e, AgentLogic<?> logic) {
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            DeterminismReplay replay = new DeterminismReplay(Episode.SELF,
                    (pack, version) -> version.equals(LOOPING) ? Optional.of(logic) : Optional.empty(), calls,
                    ReplayWindow.ALL, findings::add);
            e.events().forEach(replay::accept);
            return replay.finish();
        }, "a looping logic hung the replay");
    }

    @Test
    void aStepThatLoopsWhereTheJournalRecordsTheFaultIsReportedAsRecordedWithinTheCap() {
        Episode e = new Episode(LOOPING).started("{}").allowedRound(1, 1)
                .observed(new TestLogic.Ping(2, "loop"));
        long loopSeq = e.lastSeq();
        e.killedForLogicFault("logic fault: step still running after 2001 ms (wall-time cap 2000 ms); stopped");
        long killSeq = e.lastSeq();
        long t0 = System.nanoTime();
        ReplayReport report = replay(e, looping(false));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "returned within the cap, took " + took);
        ReplayFinding fault = findings.stream().filter(f -> f.kind() == ReplayFinding.Kind.FAULT_AS_RECORDED)
                .findFirst().orElseThrow(() -> new AssertionError(findings.toString()));
        assertEquals(loopSeq, fault.sequence());
        assertTrue(fault.detail().contains("the logic's step did not return within 300 ms"), fault.detail());
        assertTrue(fault.detail().contains("the entity was killed for this at seq " + killSeq), fault.detail());
        assertTrue(report.reproduced(), report.summary() + " " + findings);
        assertEquals(1, report.faultsAsRecorded());
        assertTrue(report.summary().contains("1 logic fault(s) reproduced as recorded"), report.summary());
        assertNotEquals(Thread.currentThread(), stepThread.get(), "the step ran on a watchdog thread");
    }

    @Test
    void aStepThatLoopsWhereTheJournalRecordsNoFaultIsADivergenceAndTheLogicIsDeadUntilRestarted() {
        Episode e = new Episode(LOOPING).started("{}").observed(new TestLogic.Ping(1, "loop"));
        long loopSeq = e.lastSeq();
        // The live logic carried on: the journal shows a decision the replayed (dead) logic cannot reproduce.
        e.allowedRound(2, 2).started("{}").allowedRound(3, 1);
        ReplayReport report = replay(e, looping(false));

        ReplayFinding fault = findings.stream().filter(f -> f.kind() == ReplayFinding.Kind.LOGIC_FAILED)
                .findFirst().orElseThrow(() -> new AssertionError(findings.toString()));
        assertEquals(loopSeq, fault.sequence());
        assertTrue(fault.detail().contains("did not return within 300 ms")
                && fault.detail().contains("the journal records no such fault"), fault.detail());
        assertFalse(report.reproduced());
        assertEquals(1, report.logicFailures());
        assertEquals(1, report.notReplayed(), "round 2 was not replayed: the logic was dead " + findings);
        assertEquals(1, report.matched(), "a fresh logic after the Started replays round 3 " + findings);
    }

    @Test
    void anInitThatLoopsIsStoppedToo() {
        Episode e = new Episode(LOOPING).started("{}").allowedRound(1, 1);
        ReplayReport report = replay(e, looping(true));
        assertFalse(report.reproduced());
        assertTrue(findings.stream().anyMatch(f -> f.kind() == ReplayFinding.Kind.LOGIC_FAILED
                && f.detail().contains("the logic's init did not return within 300 ms")), findings.toString());
    }
}
