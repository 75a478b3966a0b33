package org.nexusswarm.safety.internal.provenance;

import java.util.ArrayList;
import java.util.List;

/**
 * The entities (or outside principals) upstream of one input of a logic, newest first: the sender of the message
 * the logic was processing, then whoever caused that sender to send it, and so on. Built by supervisors, never by
 * logics, and handed along with every envelope an intent produces (see {@link ProvenanceFrame}).
 *
 * <p>Deterministically truncated to the newest {@link #MAX_HOPS} hops: hops further away are dropped, and since a
 * policy rule may look at most {@code MAX_HOPS} hops back ({@code PolicyParser} refuses more), no rule ever sees
 * the difference. An entity that is its own cause (a loop) appears once per pass through the loop.
 */
public record CauseChain(List<String> hops) {

    /** How many hops a chain keeps, and the most a policy rule may ask for. */
    public static final int MAX_HOPS = org.nexusswarm.safety.internal.policy.ProvenanceView.MAX_HOPS;
    /** Longer hop names are clipped: a clipped name resolves to no entity, so it counts as lacking. */
    static final int MAX_HOP_CHARS = 200;

    /** An input nobody else caused: the logic's start, or a decision on an intent that had no upstream. */
    public static final CauseChain NONE = new CauseChain(List.of());

    /**
     * What the supervisor hands on when it can no longer know an intent's chain (an approval that was pending when
     * the entity restarted). Names no entity, so every provenance rule downstream refuses what it causes.
     */
    public static final CauseChain LOST = new CauseChain(List.of("unknown:provenance-lost-at-restart"));

    public CauseChain {
        List<String> clipped = new ArrayList<>(Math.min(hops == null ? 0 : hops.size(), MAX_HOPS));
        if (hops != null) {
            for (String hop : hops) {
                if (clipped.size() == MAX_HOPS) {
                    break;
                }
                String h = hop == null ? "" : hop;
                clipped.add(h.length() <= MAX_HOP_CHARS ? h : h.substring(0, MAX_HOP_CHARS));
            }
        }
        hops = List.copyOf(clipped);
    }

    /** The chain of an input from {@code sender}, whose own intent carried {@code upstream}. */
    public static CauseChain forInput(String sender, List<String> upstream) {
        List<String> hops = new ArrayList<>(1 + Math.min(upstream.size(), MAX_HOPS));
        hops.add(sender);
        for (int i = 0; i < upstream.size() && hops.size() < MAX_HOPS; i++) {
            hops.add(upstream.get(i));
        }
        return new CauseChain(hops);
    }

    public boolean isEmpty() {
        return hops.isEmpty();
    }

    /** The nearest {@code n} hops. */
    public List<String> within(int n) {
        return hops.subList(0, Math.min(Math.max(n, 0), hops.size()));
    }

    @Override
    public String toString() {
        return hops.isEmpty() ? "[]" : String.join(" <- ", hops);
    }
}
