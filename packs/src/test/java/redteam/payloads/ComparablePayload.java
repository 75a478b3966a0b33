package redteam.payloads;

import org.nexusswarm.actors.SwarmMessage;

/** Red team: JDK code (a sorted set, List.copyOf of a collection) calls the interfaces a payload implements. */
public record ComparablePayload(int rank) implements SwarmMessage, Comparable<ComparablePayload> {
    @Override
    public int compareTo(ComparablePayload other) {
        return Integer.compare(rank, other.rank);
    }
}
