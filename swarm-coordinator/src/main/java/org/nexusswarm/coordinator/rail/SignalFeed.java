package org.nexusswarm.coordinator.rail;

import java.util.concurrent.atomic.AtomicLong;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.memory.chronotope.HybridLogicalClock;

/**
 * An admitted outside principal that feeds signals (sensor readings) into a rail: it signs each payload
 * for its target entity with its own key, a fresh nonce and its hybrid logical clock.
 */
public final class SignalFeed {

    private static final SwarmKryo PAYLOADS = SwarmKryo.withoutActorRefs();

    private final String name;
    private final SwarmKeyPair keys;
    /** Starts from the clock (micros): a restarted feed keeps above the nonces its receivers have seen. */
    private final AtomicLong nonce = new AtomicLong(System.currentTimeMillis() * 1000);
    private final AtomicLong hlc = new AtomicLong();

    public SignalFeed(String name, SwarmKeyPair keys) {
        this.name = name;
        this.keys = keys;
    }

    public String name() {
        return name;
    }

    public SwarmKeyPair keys() {
        return keys;
    }

    /** A signed envelope carrying {@code payload} to {@code target}. */
    public SignedEnvelope envelope(EntityAddress target, SwarmMessage payload) {
        long stamp = hlc.updateAndGet(last -> HybridLogicalClock.tick(last, System.currentTimeMillis()));
        return SignedEnvelope.sign(keys, name, target.toString(), nonce.incrementAndGet(), stamp,
                PAYLOADS.toBytes(payload));
    }
}
