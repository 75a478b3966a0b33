package org.nexusswarm.safety.internal.monitor;

import org.nexusswarm.safety.api.monitor.Ladder;
import org.nexusswarm.safety.api.monitor.MonitorThresholds;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.nexusswarm.actors.SwarmMessage;

/**
 * The recent trajectory of one entity's decided intents, and the monitors that read it: denial rate,
 * action-rate spikes, flip-flops between action classes, parameter flapping within a class and drift toward a
 * policy envelope's edge; besides, what policy sequence rules ask (when a payload type was last observed or an
 * action class last allowed) and the journaled facts of the throttle's token bucket.
 *
 * <p>Pure and immutable: it lives in the supervisor's event-sourced state, so it takes every timestamp as an
 * argument and never reads the clock; replaying the same observations gives the same statistics and the same
 * {@link Assessment}s.
 *
 * <p>Bounded memory, whatever the load: it keeps the last {@value #MAX_EVENTS} observations within the
 * retention ({@link #DEFAULT_RETENTION} unless given), and per-bucket counts of all intents and denials within
 * the retention (at most {@value #MAX_BUCKETS} buckets, each {@link #bucketMillis()} wide, at least one second).
 * Denial rate and action rate come from the buckets, so they stay right above {@value #MAX_EVENTS} intents
 * per window; a bucket that straddles the window's start counts whole, so they may overcount by up to one
 * bucket (never undercount). Oscillation and drift read the kept observations.
 *
 * <p>A window longer than the retention is refused ({@link IllegalArgumentException}): create the stats with
 * {@link #empty(Duration)} covering the monitors' window and the longest policy rate-limit window.
 *
 * @param retentionMillis      how far back from the newest observation anything is kept
 * @param recent               the kept observations, oldest first (in the order recorded)
 * @param buckets              intent counts per time bucket, oldest first
 * @param evictedThroughMillis the time of the newest observation dropped for the {@value #MAX_EVENTS} cap
 *                             ({@link Long#MIN_VALUE} if none): windows reaching back to it are counted from
 *                             the buckets
 * @param proposals            the kept proposals that carried parameters (at most {@value #MAX_PROPOSALS}, within
 *                             the retention), oldest first: the parameter-flapping monitor reads them
 * @param seen                 when each inbound payload type ({@code in:Type}) was last observed and each action
 *                             class ({@code do:class}) last allowed (at most {@value #MAX_SEEN}, least recent dropped
 *                             first): what policy sequence rules ask about
 * @param throttle             the token bucket's journaled facts while the entity is throttled
 */
public record TrajectoryStats(long retentionMillis, List<Observation> recent, List<Bucket> buckets,
        long evictedThroughMillis, List<Proposal> proposals, List<Seen> seen, Throttle throttle)
        implements SwarmMessage {

    /** The most observations kept. */
    public static final int MAX_EVENTS = 256;
    /** The most count buckets kept (plus the one being filled). */
    public static final int MAX_BUCKETS = 240;
    /** Drift looks at this many of the newest observations in the window. */
    public static final int DRIFT_LOOKBACK = 5;
    /** The denial rate is judged only once the window holds this many intents. */
    public static final int MIN_DENIAL_SAMPLE = 5;
    public static final Duration DEFAULT_RETENTION = Duration.ofMinutes(10);
    /** The most proposals with parameters kept for the flapping monitor. */
    public static final int MAX_PROPOSALS = 128;
    /** The most payload types and action classes whose last time is kept for sequence rules. */
    public static final int MAX_SEEN = 128;
    /** Key prefix of an inbound payload type in {@link #seen}. */
    public static final String SEEN_INBOUND = "in:";
    /** Key prefix of an allowed action class in {@link #seen}. */
    public static final String SEEN_PERFORMED = "do:";

    /** The shape of stored formats 1 and 2, before proposals, seen and throttle (kept to read old snapshots). */
    public record V2(long retentionMillis, List<Observation> recent, List<Bucket> buckets, long evictedThroughMillis) {
        public TrajectoryStats upgrade() {
            return new TrajectoryStats(retentionMillis, recent, buckets, evictedThroughMillis);
        }
    }

    /**
     * One proposed intent's numeric parameters, as the flapping monitor sees them: at most
     * {@value #MAX_PARAMETERS} finite ones (by name), names and class clipped, so a logic cannot bloat the state.
     * Consecutive identical proposals are kept as the newest one only.
     */
    public record Proposal(long atMillis, String actionClass, Map<String, Double> parameters) implements SwarmMessage {
        public static final int MAX_PARAMETERS = 8;
        static final int MAX_NAME_CHARS = 64;

        public Proposal {
            actionClass = actionClass == null ? "" : clip(actionClass, Observation.MAX_ACTION_CLASS_CHARS);
            TreeMap<String, Double> kept = new TreeMap<>();
            if (parameters != null) {
                for (Map.Entry<String, Double> e : new TreeMap<>(parameters).entrySet()) {
                    if (kept.size() == MAX_PARAMETERS) {
                        break;
                    }
                    if (e.getValue() != null && Double.isFinite(e.getValue())) {
                        kept.put(clip(e.getKey(), MAX_NAME_CHARS), e.getValue());
                    }
                }
            }
            parameters = Map.copyOf(kept);
        }
    }

    /** The last time {@code key} ({@value #SEEN_INBOUND} payload type or {@value #SEEN_PERFORMED} class) happened. */
    public record Seen(String key, long atMillis) implements SwarmMessage {}

    public TrajectoryStats {
        if (retentionMillis <= 0) {
            throw new IllegalArgumentException("retention must be positive, was " + retentionMillis + " ms");
        }
        recent = recent == null ? ObservationWindow.copyOf(List.of()) : ObservationWindow.copyOf(last(recent, MAX_EVENTS));
        buckets = buckets == null ? List.of() : List.copyOf(last(buckets, MAX_BUCKETS + 1));
        proposals = proposals == null ? List.of() : List.copyOf(last(proposals, MAX_PROPOSALS));
        seen = seen == null ? List.of() : List.copyOf(last(seen, MAX_SEEN));
        throttle = throttle == null ? Throttle.OFF : throttle;
    }

    /** Statistics without proposals, sequence history or throttle (the shape of stored format 2). */
    public TrajectoryStats(long retentionMillis, List<Observation> recent, List<Bucket> buckets,
            long evictedThroughMillis) {
        this(retentionMillis, recent, buckets, evictedThroughMillis, List.of(), List.of(), Throttle.OFF);
    }

    /** Counts of intents decided in the bucket {@code index} ({@code [index * width, (index + 1) * width)}). */
    public record Bucket(long index, int total, int denied) implements SwarmMessage {}

    /** Nothing observed yet; keeps {@link #DEFAULT_RETENTION}. */
    public static TrajectoryStats empty() {
        return empty(DEFAULT_RETENTION);
    }

    /** Nothing observed yet; keeps {@code retention} (at least every window it will be asked about). */
    public static TrajectoryStats empty(Duration retention) {
        return new TrajectoryStats(positiveMillis(retention, "retention"), List.of(), List.of(), Long.MIN_VALUE);
    }

    /** Width of one count bucket: the retention split into {@value #MAX_BUCKETS}, at least one second. */
    public long bucketMillis() {
        return bucketMillisFor(retentionMillis);
    }

    /**
     * These stats with {@code o} added and everything older than the retention (counted back from the newest
     * observation) dropped. An observation already older than that changes nothing.
     */
    public TrajectoryStats record(Observation o) {
        // Same result as the reference: newest = max(o, recent); horizon = newest - retention; keep what is newer
        // than the horizon, append o, keep the last MAX_EVENTS. It runs for every decided intent, so it reads
        // the kept observations' times from a side cache (Shape) instead of scanning them, copies the kept
        // references once into the final immutable list, and scans only when something ages out.
        List<Observation> rs = recent;
        int n = rs.size();
        long at = o.atMillis();
        Shape shape = Shape.of(rs);
        long newest = Math.max(at, shape.newest);
        long horizon = minus(newest, retentionMillis);
        if (at <= horizon) {
            return this;
        }
        List<Observation> nextRecent;
        long evicted = evictedThroughMillis;
        if (shape.oldest > horizon) {
            // Nothing ages out: recent then o, less the oldest beyond the cap; appended in place (no copy).
            int from = Math.max(0, n + 1 - MAX_EVENTS);
            for (int i = 0; i < from; i++) {
                evicted = Math.max(evicted, rs.get(i).atMillis());
            }
            nextRecent = ObservationWindow.copyOf(rs).append(o, from, MAX_EVENTS);
        } else {
            Observation[] all = new Observation[n + 1];
            int m = 0;
            for (int i = 0; i < n; i++) {
                Observation e = rs.get(i);
                if (e.atMillis() > horizon) {
                    all[m++] = e;
                }
            }
            all[m++] = o;
            int from = Math.max(0, m - MAX_EVENTS);
            for (int i = 0; i < from; i++) {
                evicted = Math.max(evicted, all[i].atMillis());
            }
            nextRecent = ObservationWindow.copyOf(java.util.Arrays.asList(java.util.Arrays.copyOfRange(all, from, m)));
        }
        Shape.remember(nextRecent, shape.sorted && (n == 0 || at >= shape.newest));
        return new TrajectoryStats(retentionMillis, nextRecent, addTo(buckets, o, horizon, bucketMillis()), evicted,
                proposals, seen, throttle);
    }

    /**
     * The newest and oldest time of an immutable list of observations and whether it is time-ordered, kept for
     * the lists {@link #record} built most recently (by identity, in a small table: a miss just scans), so
     * recording does not read every kept observation. Only derived values: nothing here is stored.
     */
    private record Shape(List<Observation> list, long newest, long oldest, boolean sorted) {
        private static final Shape[] TABLE = new Shape[64];
        private static final Shape EMPTY = new Shape(List.of(), Long.MIN_VALUE, Long.MAX_VALUE, true);

        static Shape of(List<Observation> list) {
            if (list.isEmpty()) {
                return EMPTY;
            }
            Shape s = TABLE[slot(list)];
            if (s != null && s.list == list) {
                return s;
            }
            return scan(list, list.size());
        }

        private static Shape scan(List<Observation> list, int n) {
            long newest = Long.MIN_VALUE;
            long oldest = Long.MAX_VALUE;
            boolean sorted = true;
            long previous = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                long t = list.get(i).atMillis();
                newest = Math.max(newest, t);
                oldest = Math.min(oldest, t);
                sorted &= t >= previous;
                previous = t;
            }
            return new Shape(list, newest, oldest, sorted);
        }

        /** Records the shape of {@code list} (whose elements are {@code kept}); {@code sorted} if known ordered. */
        static void remember(List<Observation> list, boolean sorted) {
            int n = list.size();
            Shape s = sorted ? new Shape(list, list.get(n - 1).atMillis(), list.get(0).atMillis(), true) : scan(list, n);
            // Shape's fields are final, so a plain store publishes it safely; a lost race only costs a scan.
            TABLE[slot(list)] = s;
        }

        private static int slot(List<Observation> list) {
            return System.identityHashCode(list) & (TABLE.length - 1);
        }
    }

    /** The same statistics kept for {@code retention} instead (counts re-bucketed, never moved earlier). */
    public TrajectoryStats withRetention(Duration retention) {
        long millis = positiveMillis(retention, "retention");
        long oldWidth = bucketMillis();
        long newWidth = bucketMillisFor(millis);
        List<Bucket> merged = new ArrayList<>();
        for (Bucket b : buckets) {
            // A bucket moves to the new bucket holding its last millisecond: counts may look newer, never older.
            long index = Math.floorDiv(plus(times(b.index(), oldWidth), oldWidth - 1), newWidth);
            Bucket last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last.index() == index) {
                merged.set(merged.size() - 1, new Bucket(index, last.total() + b.total(), last.denied() + b.denied()));
            } else {
                merged.add(new Bucket(index, b.total(), b.denied()));
            }
        }
        if (recent.isEmpty()) {
            return new TrajectoryStats(millis, recent, merged, evictedThroughMillis, proposals, seen, throttle);
        }
        long newest = recent.stream().mapToLong(Observation::atMillis).max().getAsLong();
        long horizon = minus(newest, millis);
        long firstIndex = Math.floorDiv(plus(horizon, 1), newWidth);
        return new TrajectoryStats(millis, recent.stream().filter(e -> e.atMillis() > horizon).toList(),
                merged.stream().filter(b -> b.index() >= firstIndex).toList(), evictedThroughMillis,
                proposals.stream().filter(p -> p.atMillis() > horizon).toList(), seen, throttle);
    }

    /**
     * The highest rung any monitor reaches over the window {@code (now - window, now]} of {@code thresholds}.
     * Ties go to the monitor named first: denial rate, action rate, oscillation, parameter flapping, drift.
     */
    public Assessment assess(MonitorThresholds thresholds, long nowMillis) {
        long window = windowMillis(thresholds.window());
        long from = minus(nowMillis, window);
        long firstIndex = Math.floorDiv(plus(from, 1), bucketMillis());
        long total = 0;
        long denied = 0;
        for (Bucket b : buckets) {
            if (b.index() >= firstIndex) {
                total += b.total();
                denied += b.denied();
            }
        }
        List<Observation> inWindow = recent.stream().filter(e -> e.atMillis() > from).toList();
        String span = describe(window);

        Assessment best = Assessment.none();
        if (total >= MIN_DENIAL_SAMPLE) {
            double rate = (double) denied / total;
            best = stronger(best, thresholds.denialRate(), Assessment.DENIAL_RATE, rate,
                    String.format(Locale.ROOT, "denial rate %.2f (%d of %d intents in %s)", rate, denied, total, span));
        }
        double perMinute = total * 60_000.0 / window;
        best = stronger(best, thresholds.actionsPerMinute(), Assessment.ACTION_RATE, perMinute,
                String.format(Locale.ROOT, "%.1f intents per minute (%d in %s)", perMinute, total, span));
        int flips = flips(inWindow);
        best = stronger(best, thresholds.oscillation(), Assessment.OSCILLATION, flips,
                flips + " flip-flops back to the action class before the last (A,B,A / A,A,B,B,A) in " + span);
        Flapping flapping = Flapping.of(proposals, from, thresholds.flappingAmplitude());
        best = stronger(best, thresholds.parameterFlapping(), Assessment.PARAMETER_FLAPPING, flapping.reversals(),
                flapping.describe(thresholds.flappingAmplitude()) + " in " + span);
        List<Observation> lastFew = inWindow.subList(Math.max(0, inWindow.size() - DRIFT_LOOKBACK), inWindow.size());
        double drift = lastFew.stream().mapToDouble(Observation::envelopeUse).max().orElse(0);
        best = stronger(best, thresholds.envelopeDrift(), Assessment.ENVELOPE_DRIFT, drift,
                String.format(Locale.ROOT, "parameters used %.0f%% of a policy envelope (newest %d intents)",
                        drift * 100, lastFew.size()));
        return best;
    }

    /**
     * How many intents of {@code actionClass} were decided in {@code (now - window, now]}, for policy rate
     * limits. Exact while at most {@value #MAX_EVENTS} intents fell in the window; beyond that an upper bound
     * (intents of other classes that were only counted in buckets are included), so a limit is never evaded.
     */
    public long count(String actionClass, Duration window, long nowMillis) {
        long from = minus(nowMillis, windowMillis(window));
        long ofClass = 0;
        long all = 0;
        for (Observation e : recent) {
            if (e.atMillis() > from) {
                all++;
                if (e.actionClass().equals(actionClass)) {
                    ofClass++;
                }
            }
        }
        if (evictedThroughMillis <= from) {
            return ofClass;
        }
        long firstIndex = Math.floorDiv(plus(from, 1), bucketMillis());
        long counted = buckets.stream().filter(b -> b.index() >= firstIndex).mapToLong(Bucket::total).sum();
        return ofClass + Math.max(0, counted - all);
    }

    /**
     * Flip-flops between action classes: the sequence read as runs of one class (A,A,B,B,A is A|B|A), each run whose
     * class is that of the run before the last counts one. Strict A,B,A,B of n intents counts n - 2, as
     * {@link #alternations} does, but A,A,B,B,A,A and A,B,B,A,A,B,B,A count as well; a cycle through three or more
     * classes (A,B,C,A,B,C) or a steady class does not.
     */
    static int flips(List<Observation> sequence) {
        String last = null;
        String beforeLast = null;
        int count = 0;
        for (Observation o : sequence) {
            String c = o.actionClass();
            if (c.equals(last)) {
                continue;
            }
            if (c.equals(beforeLast)) {
                count++;
            }
            beforeLast = last;
            last = c;
        }
        return count;
    }

    /** Positions where the class returns to the one two steps back after a different one: A,B,A counts 1. */
    static int alternations(List<Observation> sequence) {
        int count = 0;
        for (int i = 2; i < sequence.size(); i++) {
            String c = sequence.get(i).actionClass();
            if (c.equals(sequence.get(i - 2).actionClass()) && !c.equals(sequence.get(i - 1).actionClass())) {
                count++;
            }
        }
        return count;
    }

    /**
     * These stats with a proposal of {@code actionClass} at {@code atMillis} recorded: its parameters for the
     * flapping monitor, and, when {@code throttled}, one token of the throttle bucket taken.
     */
    public TrajectoryStats proposed(long atMillis, String actionClass, Map<String, Double> parameters,
            boolean throttled) {
        List<Proposal> nextProposals = proposals;
        if (parameters != null && !parameters.isEmpty()) {
            Proposal p = new Proposal(atMillis, actionClass, parameters);
            if (!p.parameters().isEmpty()) {
                int n = proposals.size();
                Proposal previous = n == 0 ? null : proposals.get(n - 1);
                // A repeat of the previous proposal (same class, same values) replaces it: the zig-zag cannot tell
                // them apart, and a steady agent then keeps one entry instead of MAX_PROPOSALS.
                boolean repeat = previous != null && previous.actionClass().equals(p.actionClass())
                        && previous.parameters().equals(p.parameters());
                long horizon = minus(Math.max(atMillis, previous == null ? Long.MIN_VALUE : previous.atMillis()),
                        retentionMillis);
                int keep = repeat ? n - 1 : n;
                Proposal[] next = new Proposal[keep + 1];
                int m = 0;
                for (int i = 0; i < keep; i++) {
                    Proposal q = proposals.get(i);
                    if (q.atMillis() > horizon) {
                        next[m++] = q;
                    }
                }
                next[m++] = p;
                nextProposals = List.of(java.util.Arrays.copyOfRange(next, Math.max(0, m - MAX_PROPOSALS), m));
            }
        }
        // A throttled entity without a bucket (recovered from a snapshot of stored format 2) starts a full one now.
        Throttle nextThrottle = !throttled ? throttle
                : (throttle.active() ? throttle : Throttle.from(atMillis)).take(atMillis);
        return new TrajectoryStats(retentionMillis, recent, buckets, evictedThroughMillis, nextProposals, seen,
                nextThrottle);
    }

    /** These stats with the token taken for the newest throttled proposal given back (it was refused unsent). */
    public TrajectoryStats refunded() {
        return new TrajectoryStats(retentionMillis, recent, buckets, evictedThroughMillis, proposals, seen,
                throttle.refund());
    }

    /** These stats remembering that {@code key} happened at {@code atMillis} (the least recent key dropped if full). */
    public TrajectoryStats seen(String key, long atMillis) {
        List<Seen> next = new ArrayList<>(seen.size() + 1);
        for (Seen s : seen) {
            if (!s.key().equals(key)) {
                next.add(s);
            }
        }
        next.add(new Seen(clip(key, Observation.MAX_ACTION_CLASS_CHARS + 3), atMillis));
        return new TrajectoryStats(retentionMillis, recent, buckets, evictedThroughMillis, proposals,
                last(next, MAX_SEEN), throttle);
    }

    /** These stats with a full throttle bucket from {@code atMillis} (the entity reached the THROTTLE rung). */
    public TrajectoryStats throttledFrom(long atMillis) {
        return new TrajectoryStats(retentionMillis, recent, buckets, evictedThroughMillis, proposals, seen,
                Throttle.from(atMillis));
    }

    /** These stats without a throttle bucket (the entity left the THROTTLE rung). */
    public TrajectoryStats unthrottled() {
        return throttle.active() ? new TrajectoryStats(retentionMillis, recent, buckets, evictedThroughMillis,
                proposals, seen, Throttle.OFF) : this;
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static Assessment stronger(Assessment best, Ladder ladder, String monitor, double value, String what) {
        EscalationLevel level = EscalationLevel.reached(ladder, value);
        if (level.compareTo(best.level()) <= 0) {
            return best;
        }
        String reason = String.format(Locale.ROOT, "%s reached %s (threshold %s)", what, level,
                format(level.thresholdIn(ladder)));
        return new Assessment(level, monitor, value, reason);
    }

    private static List<Bucket> addTo(List<Bucket> buckets, Observation o, long horizon, long width) {
        long firstIndex = Math.floorDiv(plus(horizon, 1), width);
        long index = Math.floorDiv(o.atMillis(), width);
        int denied = o.allowed() ? 0 : 1;
        int size = buckets.size();
        if (size > 0 && buckets.get(0).index() >= firstIndex) {
            Bucket last = buckets.get(size - 1);
            if (last.index() == index && allBelow(buckets, size - 1, index)) {
                // The common case: nothing ages out and o falls in the newest bucket, the one being filled.
                Object[] copy = buckets.toArray();
                copy[size - 1] = new Bucket(index, last.total() + 1, last.denied() + denied);
                @SuppressWarnings("unchecked")
                List<Bucket> list = (List<Bucket>) (List<?>) List.of(copy);
                return list;
            }
        }
        Bucket[] next = new Bucket[size + 1];
        int n = 0;
        boolean added = false;
        for (int i = 0; i < size; i++) {
            Bucket b = buckets.get(i);
            if (b.index() < firstIndex) {
                continue;
            }
            if (!added && b.index() == index) {
                next[n++] = new Bucket(index, b.total() + 1, b.denied() + denied);
                added = true;
                continue;
            }
            if (!added && b.index() > index) {
                next[n++] = new Bucket(index, 1, denied);
                added = true;
            }
            next[n++] = b;
        }
        if (!added) {
            next[n++] = new Bucket(index, 1, denied);
        }
        // Built once as the final immutable list: the constructor's List.copyOf then keeps this instance.
        return List.of(n == next.length ? next : java.util.Arrays.copyOf(next, n));
    }

    /** Whether the first {@code n} buckets all lie before bucket {@code index} (always so when built here). */
    private static boolean allBelow(List<Bucket> buckets, int n, long index) {
        for (int i = 0; i < n; i++) {
            if (buckets.get(i).index() >= index) {
                return false;
            }
        }
        return true;
    }

    private static <T> List<T> last(List<T> list, int max) {
        return list.size() <= max ? list : list.subList(list.size() - max, list.size());
    }

    private long windowMillis(Duration window) {
        long millis = positiveMillis(window, "window");
        if (millis > retentionMillis) {
            throw new IllegalArgumentException("a window of " + describe(millis) + " exceeds the retention of "
                    + describe(retentionMillis) + ": create the stats with TrajectoryStats.empty(retention)");
        }
        return millis;
    }

    private static long positiveMillis(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be a positive duration, was " + d);
        }
        return d.toMillis() == 0 ? 1 : d.toMillis();
    }

    private static long bucketMillisFor(long retentionMillis) {
        return Math.max(1000, -Math.floorDiv(-retentionMillis, MAX_BUCKETS));
    }

    private static long minus(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? Long.MIN_VALUE : r;
    }

    private static long plus(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private static long times(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return (a < 0) == (b < 0) ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
    }

    private static String describe(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private static String format(double threshold) {
        return threshold == Math.rint(threshold) && Math.abs(threshold) < 1e15
                ? Long.toString((long) threshold) : String.format(Locale.ROOT, "%.2f", threshold);
    }
}
