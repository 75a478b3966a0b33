package org.nexusswarm.safety.internal.monitor;

import org.nexusswarm.safety.api.monitor.Ladder;
import org.nexusswarm.safety.api.monitor.MonitorThresholds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.serialization.SwarmKryo;

/**
 * Red team of the oscillation and flapping monitors: an agent that flip-flops with runs (A,A,B,B; A,B,B,A) or
 * flaps one parameter within one action class is caught; a steady agent, a monotonic ramp, a cycle through three
 * classes and noise below the amplitude are not. State stays bounded and deterministic.
 */
class DanceAroundMonitorsTest {

    private static final long T0 = 1_800_000_000_000L;
    private static final Ladder OFF = Ladder.NEVER;
    /** Oscillation (or flapping) warns at 2, throttles at 4, kills at 8. */
    private static final Ladder LOW = new Ladder(2, 4, Double.NaN, 8);

    private static MonitorThresholds oscillationOnly() {
        return new MonitorThresholds(Duration.ofMinutes(1), OFF, OFF, LOW, OFF, OFF, 0.2);
    }

    private static MonitorThresholds flappingOnly() {
        return new MonitorThresholds(Duration.ofMinutes(1), OFF, OFF, OFF, OFF, LOW, 0.2);
    }

    private static TrajectoryStats classes(String... sequence) {
        TrajectoryStats stats = TrajectoryStats.empty();
        for (int i = 0; i < sequence.length; i++) {
            stats = stats.record(new Observation(T0 + i * 100L, sequence[i], true, 0));
        }
        return stats;
    }

    private static TrajectoryStats values(String actionClass, String parameter, double... mw) {
        TrajectoryStats stats = TrajectoryStats.empty();
        for (int i = 0; i < mw.length; i++) {
            long at = T0 + i * 100L;
            stats = stats.proposed(at, actionClass, Map.of(parameter, mw[i]), false)
                    .record(new Observation(at, actionClass, true, 0));
        }
        return stats;
    }

    private static List<Observation> seq(String... classes) {
        return classes(classes).recent();
    }

    private static Assessment assess(TrajectoryStats stats, MonitorThresholds t) {
        return stats.assess(t, T0 + 10_000);
    }

    @Test
    void runsOfOneClassDoNotHideAFlipFlop() {
        // The old monitor saw only strict A,B,A,B: these patterns count none there and several now.
        assertEquals(0, TrajectoryStats.alternations(seq("a", "a", "b", "b", "a", "a", "b", "b")));
        assertEquals(2, TrajectoryStats.flips(seq("a", "a", "b", "b", "a", "a", "b", "b")));
        assertEquals(0, TrajectoryStats.alternations(seq("a", "b", "b", "a", "a", "b", "b", "a")));
        assertEquals(3, TrajectoryStats.flips(seq("a", "b", "b", "a", "a", "b", "b", "a")));
        assertEquals(2, TrajectoryStats.flips(seq("a", "a", "a", "b", "b", "b", "a", "a", "a", "b", "b", "b")));
        // Strict alternation counts as before, so existing ladders keep their meaning.
        assertEquals(TrajectoryStats.alternations(seq("a", "b", "a", "b", "a")),
                TrajectoryStats.flips(seq("a", "b", "a", "b", "a")));
    }

    @Test
    void aabbAndAbbaPatternsEscalate() {
        Assessment aabb = assess(classes("open", "open", "close", "close", "open", "open", "close", "close", "open",
                "open", "close", "close"), oscillationOnly());
        assertEquals(EscalationLevel.THROTTLE, aabb.level(), aabb.reason());
        assertEquals(Assessment.OSCILLATION, aabb.monitor());
        assertEquals(4, aabb.value(), 1e-9);

        Assessment abba = assess(classes("open", "close", "close", "open", "open", "close", "close", "open"),
                oscillationOnly());
        assertEquals(EscalationLevel.WARN, abba.level(), abba.reason());
        assertEquals(3, abba.value(), 1e-9);

        String[] long10 = new String[40];
        for (int i = 0; i < long10.length; i++) {
            long10[i] = (i / 2) % 2 == 0 ? "open" : "close"; // A,A,B,B repeated: 20 runs
        }
        assertEquals(EscalationLevel.KILL, assess(classes(long10), oscillationOnly()).level());
    }

    @Test
    void aSteadyOrCyclingAgentIsNoOscillation() {
        assertEquals(EscalationLevel.NONE, assess(classes("report", "report", "report", "report", "report",
                "report"), oscillationOnly()).level());
        // A pipeline through three classes returns to each, but never flip-flops between two.
        assertEquals(0, TrajectoryStats.flips(seq("read", "compute", "send", "read", "compute", "send", "read",
                "compute", "send")));
        // One change of course is not a flip-flop.
        assertEquals(0, TrajectoryStats.flips(seq("a", "a", "a", "b", "b", "b", "b")));
    }

    @Test
    void aParameterFlappingWithinOneClassEscalates() {
        Assessment flap = assess(values("grid.shed-load", "mw", 10, 50, 10, 50), flappingOnly());
        assertEquals(EscalationLevel.WARN, flap.level(), flap.reason());
        assertEquals(Assessment.PARAMETER_FLAPPING, flap.monitor());
        assertEquals(2, flap.value(), 1e-9);
        assertTrue(flap.reason().contains("mw of grid.shed-load"), flap.reason());

        Assessment pairs = assess(values("grid.shed-load", "mw", 10, 10, 50, 50, 10, 10, 50, 50, 10, 10, 50),
                flappingOnly());
        assertEquals(EscalationLevel.THROTTLE, pairs.level(), pairs.reason());
        assertEquals(4, pairs.value(), 1e-9);

        // The class oscillation monitor sees nothing: it is one class all along.
        assertEquals(EscalationLevel.NONE, assess(values("grid.shed-load", "mw", 10, 50, 10, 50, 10, 50),
                oscillationOnly()).level());
    }

    @Test
    void aMonotonicRampOrSmallNoiseIsNoFlapping() {
        assertEquals(EscalationLevel.NONE, assess(values("grid.shed-load", "mw", 10, 20, 30, 40, 50, 60, 70, 80),
                flappingOnly()).level());
        assertEquals(EscalationLevel.NONE, assess(values("grid.shed-load", "mw", 80, 70, 60, 50, 40, 30, 20, 10),
                flappingOnly()).level());
        // A ramp with dips below the 20% amplitude.
        assertEquals(EscalationLevel.NONE, assess(values("grid.shed-load", "mw", 10, 20, 19, 30, 29, 40, 38, 50),
                flappingOnly()).level());
        // Noise of 5% around a steady value.
        assertEquals(EscalationLevel.NONE, assess(values("grid.shed-load", "mw", 100, 105, 100, 105, 100, 105, 100),
                flappingOnly()).level());
    }

    @Test
    void flappingIsCountedPerClassSoTwoRampsDoNotAddUp() {
        // Two classes each ramping steadily, interleaved: no parameter of one class swings back.
        TrajectoryStats stats = TrajectoryStats.empty();
        for (int i = 0; i < 10; i++) {
            String c = i % 2 == 0 ? "a.up" : "b.down";
            double mw = i % 2 == 0 ? 10 + i : 100 - i;
            stats = stats.proposed(T0 + i * 100L, c, Map.of("mw", mw), false);
        }
        assertEquals(EscalationLevel.NONE, assess(stats, flappingOnly()).level());
    }

    @Test
    void theWindowForgetsOldFlapping() {
        TrajectoryStats stats = values("grid.shed-load", "mw", 10, 50, 10, 50, 10, 50);
        assertEquals(EscalationLevel.THROTTLE, assess(stats, flappingOnly()).level());
        assertEquals(EscalationLevel.NONE, stats.assess(flappingOnly(), T0 + 120_000).level());
    }

    @Test
    void proposalsStayBoundedWhateverTheLogicSends() {
        Map<String, Double> many = new HashMap<>();
        for (int p = 0; p < 50; p++) {
            many.put("p" + p + "x".repeat(200), (double) p);
        }
        many.put("nan", Double.NaN);
        TrajectoryStats stats = TrajectoryStats.empty();
        for (int i = 0; i < 1000; i++) {
            many.put("a", (double) i); // a new value each time: no repeat to collapse
            stats = stats.proposed(T0 + i, "c".repeat(10_000), many, false);
        }
        assertEquals(TrajectoryStats.MAX_PROPOSALS, stats.proposals().size());
        TrajectoryStats.Proposal p = stats.proposals().get(0);
        assertEquals(TrajectoryStats.Proposal.MAX_PARAMETERS, p.parameters().size());
        assertTrue(p.parameters().keySet().stream().allMatch(k -> k.length() <= 64));
        assertEquals(Observation.MAX_ACTION_CLASS_CHARS, p.actionClass().length());
        // Proposals without parameters cost nothing.
        assertEquals(0, TrajectoryStats.empty().proposed(T0, "a", Map.of(), false).proposals().size());
        for (int i = 0; i < 500; i++) {
            stats = stats.seen("in:Type" + i, T0 + i);
        }
        assertEquals(TrajectoryStats.MAX_SEEN, stats.seen().size());
        assertEquals("in:Type499", stats.seen().get(stats.seen().size() - 1).key());
    }

    @Test
    void aSteadyAgentKeepsOneProposalAndRepeatsDoNotChangeTheCount() {
        TrajectoryStats stats = TrajectoryStats.empty();
        for (int i = 0; i < 500; i++) {
            stats = stats.proposed(T0 + i, "grid.report", Map.of("load", 42.0), false);
        }
        assertEquals(1, stats.proposals().size());
        assertEquals(T0 + 499, stats.proposals().get(0).atMillis(), "the newest repeat is the one kept");
        // Repeats collapse, and the zig-zag counts the same as on the full sequence (see the pairs above).
        assertEquals(2, assess(values("grid.shed-load", "mw", 10, 10, 10, 50, 50, 50, 10, 10, 50), flappingOnly())
                .value(), 1e-9);
    }

    @Test
    void theNewStateRoundTripsThroughKryoAndAssessesTheSame() {
        TrajectoryStats stats = values("grid.shed-load", "mw", 10, 50, 10, 50).seen("in:StormWarning", T0)
                .throttledFrom(T0).proposed(T0 + 1, "x", Map.of(), true);
        SwarmKryo kryo = SwarmKryo.withoutActorRefs();
        TrajectoryStats back = (TrajectoryStats) kryo.fromBytes(kryo.toBytes(stats));
        assertEquals(stats, back);
        assertEquals(assess(stats, flappingOnly()), assess(back, flappingOnly()));
    }
}
