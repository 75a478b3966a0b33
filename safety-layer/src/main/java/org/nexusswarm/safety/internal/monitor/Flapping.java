package org.nexusswarm.safety.internal.monitor;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.HashMap;

/**
 * Parameter flapping within one action class: for every (class, parameter) the proposed values in the window are
 * read as a zig-zag, and each swing back that moves at least {@code amplitude} (relative to the larger magnitude of
 * the two values) against the previous swing counts one reversal. 10,50,10,50 counts 2; 10,10,50,50,10,10 counts
 * 1; a monotonic ramp, or noise below the amplitude, counts none. The worst (class, parameter) is reported.
 */
record Flapping(int reversals, String actionClass, String parameter, double low, double high) {

    static final Flapping NONE = new Flapping(0, "", "", 0, 0);

    /** The worst flapping among the {@code proposals} after {@code fromMillis}; ties go to the first by name. */
    static Flapping of(List<TrajectoryStats.Proposal> proposals, long fromMillis, double amplitude) {
        if (proposals.isEmpty() || !(amplitude > 0)) {
            return NONE;
        }
        // By class, then parameter name: no key strings built, since this runs for every decision.
        Map<String, Map<String, ZigZag>> zigs = new HashMap<>();
        for (TrajectoryStats.Proposal p : proposals) {
            if (p.atMillis() <= fromMillis) {
                continue;
            }
            Map<String, ZigZag> ofClass = zigs.computeIfAbsent(p.actionClass(), k -> new HashMap<>());
            for (Map.Entry<String, Double> e : p.parameters().entrySet()) {
                ofClass.computeIfAbsent(e.getKey(), k -> new ZigZag()).add(e.getValue(), amplitude);
            }
        }
        Flapping worst = NONE;
        for (Map.Entry<String, Map<String, ZigZag>> c : zigs.entrySet()) {
            for (Map.Entry<String, ZigZag> e : c.getValue().entrySet()) {
                ZigZag z = e.getValue();
                if (z.reversals > worst.reversals || (z.reversals == worst.reversals && z.reversals > 0
                        && before(c.getKey(), e.getKey(), worst))) {
                    worst = new Flapping(z.reversals, c.getKey(), e.getKey(), z.low, z.high);
                }
            }
        }
        return worst;
    }

    /** Ties go to the first (class, parameter) by name, so the reported one does not depend on hash order. */
    private static boolean before(String actionClass, String parameter, Flapping other) {
        int c = actionClass.compareTo(other.actionClass);
        return c < 0 || (c == 0 && parameter.compareTo(other.parameter) < 0);
    }

    String describe(double amplitude) {
        if (reversals == 0) {
            return String.format(Locale.ROOT, "no parameter swung back by %.0f%% or more", amplitude * 100);
        }
        return String.format(Locale.ROOT, "%s of %s swung back %d times between %s and %s (by %.0f%% or more)",
                parameter, actionClass, reversals, fmt(low), fmt(high), amplitude * 100);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3g", v);
    }

    /** The zig-zag of one parameter: the current swing's direction and extreme. */
    private static final class ZigZag {
        private boolean started;
        private double reference;
        private double extreme;
        private int direction;
        private int reversals;
        private double low;
        private double high;

        void add(double v, double amplitude) {
            if (!started) {
                started = true;
                reference = v;
                extreme = v;
                low = v;
                high = v;
                return;
            }
            low = Math.min(low, v);
            high = Math.max(high, v);
            if (direction == 0) {
                if (moved(reference, v, amplitude)) {
                    direction = v > reference ? 1 : -1;
                    extreme = v;
                }
            } else if (direction > 0 ? v >= extreme : v <= extreme) {
                extreme = v;
            } else if (moved(extreme, v, amplitude)) {
                reversals++;
                direction = -direction;
                extreme = v;
            }
        }

        private static boolean moved(double from, double to, double amplitude) {
            double scale = Math.max(Math.abs(from), Math.abs(to));
            return scale > 0 && Math.abs(to - from) >= amplitude * scale;
        }
    }
}
