package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.RefusalsAggregated.RefusalCount;

/**
 * Counts one supervisor's refusals of unauthenticated traffic over an interval, per claimed source and reason, so
 * a flood is journaled as one {@link SafetyEvent.RefusalsAggregated} per interval instead of one event per
 * envelope. At most {@code maxSources} source/reason pairs are tracked per interval (the first refusal of each is
 * journaled on its own, with its detail); every further pair is counted in one "other" bucket.
 *
 * <p>Runtime only (not supervisor state): counts not yet journaled when the supervisor stops are lost, at most
 * one interval's worth. Used from the supervisor's own thread only.
 */
final class RefusalTally {

    /** {@code nexus.swarm.safety.refusals}: the interval and the sources tracked per interval. */
    record Settings(Duration interval, int maxSources) {
        Settings {
            if (interval.isNegative() || interval.isZero() || maxSources < 1 || maxSources > 1000) {
                throw new IllegalArgumentException("nexus.swarm.safety.refusals needs interval > 0 and max-sources "
                        + "1..1000, was " + interval + " and " + maxSources);
            }
        }

        static Settings from(Config config) {
            return new Settings(config.getDuration("nexus.swarm.safety.refusals.interval"),
                    config.getInt("nexus.swarm.safety.refusals.max-sources"));
        }
    }

    private record Key(String source, RefusalCode code) {}

    /** What to journal at the end of an interval. */
    record Interval(long fromMillis, long toMillis, List<RefusalCount> counts, long otherCount) {}

    private final Settings settings;
    private final Map<Key, Long> counts = new LinkedHashMap<>();
    private long other;
    private long fromMillis = -1;

    RefusalTally(Settings settings) {
        this.settings = settings;
    }

    Duration interval() {
        return settings.interval();
    }

    /** Whether an interval is open (counts waiting to be journaled). */
    boolean open() {
        return fromMillis >= 0;
    }

    /**
     * Counts one refusal. Returns true when it is the first of its source and reason this interval and there
     * is room to track it: then it is worth an event of its own.
     */
    boolean count(String source, RefusalCode code, long nowMillis) {
        if (fromMillis < 0) {
            fromMillis = nowMillis;
        }
        Key key = new Key(source, code);
        Long before = counts.get(key);
        if (before != null) {
            counts.put(key, before + 1);
            return false;
        }
        if (counts.size() >= settings.maxSources()) {
            other++;
            return false;
        }
        counts.put(key, 1L);
        return true;
    }

    /**
     * Closes the interval: what to journal, or empty when every refusal counted was already journaled on its own.
     */
    Optional<Interval> close(long nowMillis) {
        long from = fromMillis;
        List<RefusalCount> list = new ArrayList<>(counts.size());
        boolean onlyFirsts = other == 0;
        for (Map.Entry<Key, Long> e : counts.entrySet()) {
            list.add(new RefusalCount(e.getKey().source(), e.getKey().code(), e.getValue()));
            onlyFirsts &= e.getValue() == 1;
        }
        long others = other;
        counts.clear();
        other = 0;
        fromMillis = -1;
        return from < 0 || onlyFirsts ? Optional.empty()
                : Optional.of(new Interval(from, nowMillis, List.copyOf(list), others));
    }
}
