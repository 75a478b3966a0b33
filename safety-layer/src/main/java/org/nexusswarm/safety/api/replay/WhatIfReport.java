package org.nexusswarm.safety.api.replay;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The totals of a what-if replay (the decisions themselves were streamed to the caller).
 *
 * @param policy          the policy decided under ({@code scope@version})
 * @param decisions       recorded decisions in the window
 * @param changes         how many decisions of each kind of change
 * @param whatIfKill      where and why the other policy's monitors or denial limit would have killed the entity
 *                        ("" if they would not have)
 * @param recordedKills   kills the safety layer journaled (monitors or denial limit), for comparison
 */
public record WhatIfReport(long eventsRead, String policy, long decisions, Map<WhatIfDecision.Change, Long> changes,
        String whatIfKill, long recordedKills) {

    public WhatIfReport {
        changes = Map.copyOf(changes);
    }

    public long count(WhatIfDecision.Change change) {
        return changes.getOrDefault(change, 0L);
    }

    /** Decisions that would be different. */
    public long changed() {
        return decisions - count(WhatIfDecision.Change.UNCHANGED) - count(WhatIfDecision.Change.NOT_EVALUATED);
    }

    /** One line for people: counts per kind of change. */
    public String summary() {
        String counts = Stream.of(WhatIfDecision.Change.values())
                .filter(c -> count(c) > 0)
                .map(c -> count(c) + " " + c.label())
                .collect(Collectors.joining(", "));
        return decisions + " decisions under " + policy + ": " + changed() + " would change"
                + (counts.isEmpty() ? "" : " (" + counts + ")") + ".";
    }
}
