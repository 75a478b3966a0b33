package org.nexusswarm.memory.journal;

import java.util.List;

/**
 * The causes behind one decision, breadth first: the decision at depth 0, its direct causes at depth 1, ...
 * Each event appears once, at the depth it was first reached.
 *
 * @param truncated true when the depth or visit limit stopped the walk before every cause was followed
 */
public record CausalChain(List<CausalLink> links, boolean truncated) {

    public CausalChain {
        links = List.copyOf(links);
    }

    public boolean isEmpty() {
        return links.isEmpty();
    }
}
