package org.nexusswarm.safety.internal.monitor;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The immutable list of observations {@link TrajectoryStats} keeps. Recording an intent appends one observation
 * (and may drop the oldest); with {@code List.of} that copied up to {@value TrajectoryStats#MAX_EVENTS}
 * references for every decided intent, a measurable share of a supervisor's per-message cost. Here the extended
 * list shares its parent's backing array: a list reads only its own range {@code [from, to)}, which never changes,
 * and only the first list to extend a given end claims the slot after it (a compare-and-set on the shared fill
 * mark); any other extension of the same list, or one that runs out of room, copies its kept range into a new
 * array twice the cap. Appends therefore cost O(1) amortised, and every list is still immutable to its readers.
 *
 * <p>Not a stored type of its own: Kryo writes it in the same form as an immutable JDK list (see {@code
 * SafetyKryoRegistrations}), and reads give a {@code List.of} list that {@link TrajectoryStats} wraps again.
 */
public final class ObservationWindow extends AbstractList<Observation> implements RandomAccess {

    private static final ObservationWindow EMPTY = new ObservationWindow(new Observation[0], new AtomicInteger(), 0, 0);

    private final Observation[] array;
    /** How far the shared array has been claimed by any list over it; only grows. */
    private final AtomicInteger filled;
    private final int from;
    private final int to;

    private ObservationWindow(Observation[] array, AtomicInteger filled, int from, int to) {
        this.array = array;
        this.filled = filled;
        this.from = from;
        this.to = to;
    }

    /** {@code list} as a window: the same instance when it is one, else a copy (null elements refused). */
    public static ObservationWindow copyOf(List<Observation> list) {
        if (list instanceof ObservationWindow w) {
            return w;
        }
        if (list.isEmpty()) {
            return EMPTY;
        }
        Observation[] copy = new Observation[list.size()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = Objects.requireNonNull(list.get(i), "observation");
        }
        return new ObservationWindow(copy, new AtomicInteger(copy.length), 0, copy.length);
    }

    /** This list with {@code o} appended and its first {@code drop} elements left out. */
    public ObservationWindow append(Observation o, int drop, int capacityHint) {
        Objects.requireNonNull(o, "observation");
        if (drop < 0 || drop > size()) {
            throw new IllegalArgumentException("cannot drop " + drop + " of " + size() + " observations");
        }
        if (to < array.length && filled.compareAndSet(to, to + 1)) {
            array[to] = o;
            return new ObservationWindow(array, filled, from + drop, to + 1);
        }
        int keep = size() - drop;
        Observation[] next = new Observation[Math.max(2 * capacityHint, keep + 1)];
        System.arraycopy(array, from + drop, next, 0, keep);
        next[keep] = o;
        return new ObservationWindow(next, new AtomicInteger(keep + 1), 0, keep + 1);
    }

    @Override
    public Observation get(int index) {
        Objects.checkIndex(index, size());
        return array[from + index];
    }

    @Override
    public int size() {
        return to - from;
    }

    @Override
    public Object[] toArray() {
        return java.util.Arrays.copyOfRange(array, from, to, Object[].class);
    }
}
