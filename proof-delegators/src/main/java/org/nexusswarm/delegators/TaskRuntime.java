package org.nexusswarm.delegators;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.util.encoders.Hex;

/**
 * The deterministic, metered task runtime a delegator runs: pure Java, no actors, no I/O, no clock.
 *
 * <p>Every elementary step costs one unit of fuel; when the budget runs out the task stops and the result
 * says {@code completed = false}. Results carry an output digest over a canonical text that is independent
 * of the JVM's {@code Double.toString} (inputs are written as exact hex floats, the value as an exact
 * decimal rounded to 1e-9), so honest replicas on any JVM agree byte for byte.
 *
 * <p>Task kinds:
 * <ul>
 *   <li>{@code mean}: arithmetic mean of the inputs (at least one); fuel = n + 1.</li>
 *   <li>{@code drought-index}: inputs are (soil moisture %, air temperature °C) pairs; per pair
 *       {@code 0.6 * (1 - moisture/100) + 0.4 * (temperature - 25) / 15}, each term clamped to [0,1], averaged
 *       over the pairs and clamped to [0,1]; fuel = 3 per pair + 1.</li>
 * </ul>
 * Unknown kinds, malformed or non-finite inputs give a not-completed result whose digest covers the error.
 */
public final class TaskRuntime {

    public static final String MEAN = "mean";
    public static final String DROUGHT_INDEX = "drought-index";

    /** Weights and temperature scale of the drought index; part of the task's definition, never tune silently. */
    static final double DRYNESS_WEIGHT = 0.6;
    static final double HEAT_WEIGHT = 0.4;
    static final double HEAT_BASELINE_C = 25.0;
    static final double HEAT_SPAN_C = 15.0;

    private static final TaskRuntime STANDARD = new TaskRuntime(Map.of(
            MEAN, TaskRuntime::mean,
            DROUGHT_INDEX, TaskRuntime::droughtIndex));

    private final Map<String, Task> tasks;

    private TaskRuntime(Map<String, Task> tasks) {
        this.tasks = Map.copyOf(tasks);
    }

    /** The runtime with the built-in task kinds; stateless and thread-safe. */
    public static TaskRuntime standard() {
        return STANDARD;
    }

    /** The task kinds this runtime knows, sorted. */
    public Set<String> taskKinds() {
        return new TreeSet<>(tasks.keySet());
    }

    /** Runs {@code request} on behalf of {@code delegator}; never throws for bad input, it reports it. */
    public TaskResult run(TaskRequest request, String delegator) {
        Meter meter = new Meter(request.fuelBudget());
        Task task = tasks.get(request.taskKind());
        if (task == null) {
            return failed(request, delegator, meter, "unknown task kind (known: " + taskKinds() + ")");
        }
        for (double x : request.inputs()) {
            if (!Double.isFinite(x)) {
                return failed(request, delegator, meter, "non-finite input");
            }
        }
        try {
            double value = task.compute(request.inputs(), meter);
            return new TaskResult(request.taskId(), request.taskKind(), value,
                    outputDigest(request.taskKind(), request.inputs(), value), meter.used, true, delegator);
        } catch (OutOfFuel e) {
            return failed(request, delegator, meter, "fuel exhausted after " + meter.used + " steps");
        } catch (IllegalArgumentException e) {
            return failed(request, delegator, meter, e.getMessage());
        }
    }

    /** The digest honest replicas produce for a completed task; orchestrators use it to check a claimed value. */
    public static String outputDigest(String taskKind, List<Double> inputs, double value) {
        return sha256Hex(canonicalHead(taskKind, inputs) + "value=" + canonicalValue(value) + "\n");
    }

    /** The digest of a task that did not complete; deterministic, so replicas that fail alike agree on it. */
    public static String errorDigest(String taskKind, List<Double> inputs, String error) {
        return sha256Hex(canonicalHead(taskKind, inputs) + "error=" + error + "\n");
    }

    private static TaskResult failed(TaskRequest request, String delegator, Meter meter, String error) {
        return new TaskResult(request.taskId(), request.taskKind(), Double.NaN,
                errorDigest(request.taskKind(), request.inputs(), error), meter.used, false, delegator);
    }

    private static double mean(List<Double> in, Meter meter) {
        if (in.isEmpty()) {
            throw new IllegalArgumentException("mean needs at least one input");
        }
        double sum = 0;
        for (double x : in) {
            meter.charge();
            sum += x;
        }
        meter.charge();
        return sum / in.size();
    }

    private static double droughtIndex(List<Double> in, Meter meter) {
        if (in.isEmpty() || in.size() % 2 != 0) {
            throw new IllegalArgumentException(
                    "drought-index needs (moisture %, temperature C) pairs, got " + in.size() + " inputs");
        }
        double sum = 0;
        int pairs = in.size() / 2;
        for (int i = 0; i < in.size(); i += 2) {
            meter.charge();
            double dryness = 1.0 - clamp01(in.get(i) / 100.0);
            meter.charge();
            double heat = clamp01((in.get(i + 1) - HEAT_BASELINE_C) / HEAT_SPAN_C);
            meter.charge();
            sum += DRYNESS_WEIGHT * dryness + HEAT_WEIGHT * heat;
        }
        meter.charge();
        return clamp01(sum / pairs);
    }

    private static double clamp01(double x) {
        return Math.max(0.0, Math.min(1.0, x));
    }

    private static String canonicalHead(String taskKind, List<Double> inputs) {
        // Hex floats are exact and identical on every JVM, unlike Double.toString (changed in JDK 19).
        return "kind=" + taskKind + "\n"
                + "inputs=" + inputs.stream().map(Double::toHexString).collect(Collectors.joining(",")) + "\n";
    }

    private static String canonicalValue(double value) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        // new BigDecimal(double) is the exact binary value, so the rounding never depends on a decimal rendering.
        return new BigDecimal(value).setScale(9, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String sha256Hex(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        SHA256Digest digest = new SHA256Digest();
        digest.update(bytes, 0, bytes.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return Hex.toHexString(out);
    }

    /** One task kind: a pure function of the inputs that charges the meter for each step. */
    @FunctionalInterface
    private interface Task {
        double compute(List<Double> inputs, Meter meter);
    }

    /** Counts steps against the budget. */
    private static final class Meter {
        private final long budget;
        private long used;

        Meter(long budget) {
            this.budget = budget;
        }

        void charge() {
            if (used >= budget) {
                throw OutOfFuel.INSTANCE;
            }
            used++;
        }
    }

    /** Control flow out of a task's loop; stackless because it is expected, not exceptional. */
    private static final class OutOfFuel extends RuntimeException {
        static final OutOfFuel INSTANCE = new OutOfFuel();

        private OutOfFuel() {
            super("out of fuel", null, false, false);
        }
    }
}
