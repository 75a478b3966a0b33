package org.nexusswarm.delegators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskRuntimeTest {

    private final TaskRuntime runtime = TaskRuntime.standard();

    @Test
    void meanIsExactAndChargesOnePerInputPlusOne() {
        TaskResult r = runtime.run(new TaskRequest("t/0", "mean", List.of(1.0, 2.0, 6.0), 100), "delegator:d-0");
        assertTrue(r.completed());
        assertEquals(3.0, r.value());
        assertEquals(4, r.fuelUsed());
        assertEquals("delegator:d-0", r.delegator());
        assertEquals(TaskRuntime.outputDigest("mean", List.of(1.0, 2.0, 6.0), 3.0), r.outputDigest());
    }

    @Test
    void droughtIndexIsDeterministicAcrossRunsAndDelegators() {
        TaskRequest req = new TaskRequest("t/0", "drought-index", List.of(12.5, 38.0, 20.0, 35.0), 100);
        TaskResult a = runtime.run(req, "delegator:d-0");
        TaskResult b = runtime.run(new TaskRequest("t/1", "drought-index", req.inputs(), 50), "delegator:d-1");
        assertTrue(a.completed());
        assertEquals(a.value(), b.value());
        // The digest covers kind, inputs and value only, so replicas with different ids and budgets agree.
        assertEquals(a.outputDigest(), b.outputDigest());
        assertEquals(64, a.outputDigest().length());
        assertEquals(7, a.fuelUsed());
    }

    @Test
    void droughtIndexFollowsItsDefinitionAndIsClamped() {
        // moisture 10% -> dryness 0.9; 40C -> heat clamp(15/15) = 1 -> 0.6*0.9 + 0.4*1 = 0.94
        assertEquals(0.94, index(10.0, 40.0), 1e-12);
        // wet and cool -> dryness 0.4, heat 0 -> 0.24
        assertEquals(0.24, index(60.0, 18.0), 1e-12);
        // out-of-range sensor values are clamped, never leave [0,1]
        assertEquals(1.0, index(-20.0, 90.0), 1e-12);
        assertEquals(0.0, index(150.0, -10.0), 1e-12);
    }

    @Test
    void differentInputsGiveDifferentDigests() {
        TaskResult a = runtime.run(new TaskRequest("t", "drought-index", List.of(12.5, 38.0), 100), "d");
        TaskResult b = runtime.run(new TaskRequest("t", "drought-index", List.of(12.6, 38.0), 100), "d");
        assertNotEquals(a.outputDigest(), b.outputDigest());
    }

    @Test
    void runningOutOfFuelStopsWithoutCompleting() {
        TaskResult r = runtime.run(new TaskRequest("t/0", "mean", List.of(1.0, 2.0, 3.0, 4.0), 3), "d");
        assertFalse(r.completed());
        assertTrue(Double.isNaN(r.value()));
        assertEquals(3, r.fuelUsed());
        // Replicas that run out alike agree on the failure, but never on a value.
        assertEquals(r.outputDigest(),
                runtime.run(new TaskRequest("t/1", "mean", List.of(1.0, 2.0, 3.0, 4.0), 3), "e").outputDigest());
        assertNotEquals(TaskRuntime.outputDigest("mean", List.of(1.0, 2.0, 3.0, 4.0), 2.5), r.outputDigest());
    }

    @Test
    void exactBudgetIsEnough() {
        TaskResult r = runtime.run(new TaskRequest("t/0", "mean", List.of(1.0, 2.0, 3.0), 4), "d");
        assertTrue(r.completed());
        assertEquals(4, r.fuelUsed());
    }

    @Test
    void unknownKindIsReportedNotThrown() {
        TaskResult r = runtime.run(new TaskRequest("t/0", "protein-fold", List.of(1.0), 100), "d");
        assertFalse(r.completed());
        assertTrue(Double.isNaN(r.value()));
        assertEquals(0, r.fuelUsed());
        assertEquals(TaskRuntime.errorDigest("protein-fold", List.of(1.0),
                "unknown task kind (known: [drought-index, mean])"), r.outputDigest());
    }

    @Test
    void malformedInputsAreReported() {
        assertFalse(runtime.run(new TaskRequest("t", "drought-index", List.of(1.0, 2.0, 3.0), 100), "d").completed());
        assertFalse(runtime.run(new TaskRequest("t", "mean", List.of(), 100), "d").completed());
        assertFalse(runtime.run(new TaskRequest("t", "mean", List.of(Double.NaN), 100), "d").completed());
    }

    @Test
    void knowsItsKinds() {
        assertEquals(List.of("drought-index", "mean"), List.copyOf(runtime.taskKinds()));
    }

    private double index(double moisture, double temperature) {
        TaskResult r = runtime.run(new TaskRequest("t", "drought-index", List.of(moisture, temperature), 10), "d");
        assertTrue(r.completed());
        return r.value();
    }
}
