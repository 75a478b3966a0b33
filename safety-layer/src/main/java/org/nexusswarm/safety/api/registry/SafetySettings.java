package org.nexusswarm.safety.api.registry;

import com.typesafe.config.Config;

/**
 * The safety layer's settings, from {@code nexus.swarm.safety} in HOCON.
 *
 * @param maxDenials      denied intents after which the child is killed and the entity quarantined
 * @param maxPayloadBytes envelopes with a larger payload are refused before decoding
 * @param snapshotEvery   a snapshot every this many events, so recovery does not replay whole histories
 * @param maxEnvelopeAge  envelopes stamped earlier than this are refused as stale
 * @param maxClockSkew    envelopes stamped further than this in the future are refused as stale
 * @param checkpointEvery a signed checkpoint every this many events ({@code nexus.swarm.memory.checkpoint-every})
 * @param throttle        the token bucket of an entity on the THROTTLE rung ({@code nexus.swarm.safety.throttle})
 */
public record SafetySettings(int maxDenials, int maxPayloadBytes, int snapshotEvery,
        java.time.Duration maxEnvelopeAge, java.time.Duration maxClockSkew, int checkpointEvery, Throttle throttle) {

    /**
     * A throttled entity's token bucket: {@code perSecond} tokens refill per second up to {@code burst}; each intent
     * decided takes one; intents finding no token wait, at most {@code queue} of them, in order.
     */
    public record Throttle(double perSecond, int burst, int queue) {
        public static final Throttle DEFAULT = new Throttle(1.0, 5, 16);

        public Throttle {
            if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
                throw new IllegalArgumentException("nexus.swarm.safety.throttle.per-second must be positive, was "
                        + perSecond);
            }
            if (burst < 1 || burst > org.nexusswarm.safety.internal.monitor.Throttle.MAX_TAKEN) {
                throw new IllegalArgumentException("nexus.swarm.safety.throttle.burst must be 1 to "
                        + org.nexusswarm.safety.internal.monitor.Throttle.MAX_TAKEN + ", was " + burst);
            }
            if (queue < 0 || queue > 1024) {
                throw new IllegalArgumentException("nexus.swarm.safety.throttle.queue must be 0 to 1024, was " + queue);
            }
        }
    }

    public SafetySettings(int maxDenials, int maxPayloadBytes, int snapshotEvery, java.time.Duration maxEnvelopeAge,
            java.time.Duration maxClockSkew, int checkpointEvery) {
        this(maxDenials, maxPayloadBytes, snapshotEvery, maxEnvelopeAge, maxClockSkew, checkpointEvery,
                Throttle.DEFAULT);
    }

    public SafetySettings {
        throttle = throttle == null ? Throttle.DEFAULT : throttle;
        if (maxDenials < 1) {
            throw new IllegalArgumentException("nexus.swarm.safety.max-denials must be at least 1, was " + maxDenials);
        }
        if (checkpointEvery < 1 || checkpointEvery > 10_000) {
            throw new IllegalArgumentException("nexus.swarm.memory.checkpoint-every must be 1 to 10000, was "
                    + checkpointEvery);
        }
    }

    public SafetySettings(int maxDenials, int maxPayloadBytes, int snapshotEvery, java.time.Duration maxEnvelopeAge,
            java.time.Duration maxClockSkew) {
        this(maxDenials, maxPayloadBytes, snapshotEvery, maxEnvelopeAge, maxClockSkew, 100);
    }

    public static SafetySettings from(Config config) {
        return new SafetySettings(
                config.getInt("nexus.swarm.safety.max-denials"),
                config.getInt("nexus.swarm.max-payload-bytes"),
                config.getInt("nexus.swarm.safety.snapshot-every"),
                config.getDuration("nexus.swarm.safety.envelope-max-age"),
                config.getDuration("nexus.swarm.safety.clock-skew"),
                config.getInt("nexus.swarm.memory.checkpoint-every"),
                new Throttle(config.getDouble("nexus.swarm.safety.throttle.per-second"),
                        config.getInt("nexus.swarm.safety.throttle.burst"),
                        config.getInt("nexus.swarm.safety.throttle.queue")));
    }
}
