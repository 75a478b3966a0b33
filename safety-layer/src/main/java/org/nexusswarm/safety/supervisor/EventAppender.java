package org.nexusswarm.safety.supervisor;

import java.util.function.Function;
import org.nexusswarm.memory.chronotope.Chronotope;
import org.nexusswarm.memory.chronotope.HashChain;
import org.nexusswarm.memory.chronotope.HybridLogicalClock;

/**
 * Stamps the events of one command with consecutive chronotopes: sequence, hybrid logical clock, place,
 * input digest and the hash of the event before, so several events persisted together still form a chain.
 * Used inside one command handler invocation only.
 */
final class EventAppender {

    private final String place;
    private final long nowMillis;
    private long sequence;
    private long hlc;
    private String lastHash;

    EventAppender(SupervisorState.ChainHead head, String place, long nowMillis) {
        this.place = place;
        this.nowMillis = nowMillis;
        this.sequence = head.sequence();
        this.hlc = head.hlc();
        this.lastHash = head.lastHash();
    }

    /** Appends a local event. */
    <E extends SafetyEvent> E append(Function<Chronotope, E> make, String inputDigest) {
        return appendAt(HybridLogicalClock.tick(hlc, nowMillis), make, inputDigest);
    }

    /** Appends an event caused by a message stamped with the sender's clock {@code remoteHlc}. */
    <E extends SafetyEvent> E appendReceived(long remoteHlc, Function<Chronotope, E> make, String inputDigest) {
        return appendAt(HybridLogicalClock.receive(hlc, remoteHlc, nowMillis), make, inputDigest);
    }

    private <E extends SafetyEvent> E appendAt(long newHlc, Function<Chronotope, E> make, String inputDigest) {
        hlc = newHlc;
        sequence++;
        E event = make.apply(new Chronotope(nowMillis, sequence, hlc, place, inputDigest, lastHash));
        lastHash = HashChain.hashOf(event);
        return event;
    }
}
