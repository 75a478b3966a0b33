package org.nexusswarm.safety.api.operator;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Limits of signed operator commands ({@code nexus.swarm.safety.operator-commands}).
 *
 * @param maxLifetime         the longest {@code exp - iat} accepted: a captured token is useless after it
 * @param clockSkew           tolerated difference between the operator's clock and the node's
 * @param maxTokenChars       the longest token accepted (any kind but a policy push)
 * @param maxPolicyTokenChars the longest policy-push token (it carries the whole policy text)
 * @param maxLiveNonces       unexpired nonces remembered per operator; more are refused (fail closed)
 * @param askTimeout          how long the replay guard may take to answer
 */
public record OperatorCommandSettings(Duration maxLifetime, Duration clockSkew, int maxTokenChars,
        int maxPolicyTokenChars, int maxLiveNonces, Duration askTimeout) {

    public static final String PATH = "nexus.swarm.safety.operator-commands";
    public static final OperatorCommandSettings DEFAULTS = new OperatorCommandSettings(Duration.ofMinutes(5),
            Duration.ofSeconds(30), 16 * 1024, 1024 * 1024, 10_000, Duration.ofSeconds(5));

    public OperatorCommandSettings {
        if (maxLifetime.isNegative() || maxLifetime.isZero() || clockSkew.isNegative() || maxTokenChars < 256
                || maxPolicyTokenChars < maxTokenChars || maxLiveNonces < 1) {
            throw new IllegalArgumentException(PATH + ": lifetimes must be positive and limits sensible");
        }
    }

    /** The settings under {@link #PATH}, with {@link #DEFAULTS} for what is not configured. */
    public static OperatorCommandSettings from(Config config) {
        if (!config.hasPath(PATH)) {
            return DEFAULTS;
        }
        Config c = config.getConfig(PATH);
        return new OperatorCommandSettings(
                c.hasPath("max-lifetime") ? c.getDuration("max-lifetime") : DEFAULTS.maxLifetime,
                c.hasPath("clock-skew") ? c.getDuration("clock-skew") : DEFAULTS.clockSkew,
                c.hasPath("max-token-chars") ? c.getInt("max-token-chars") : DEFAULTS.maxTokenChars,
                c.hasPath("max-policy-token-chars") ? c.getInt("max-policy-token-chars") : DEFAULTS.maxPolicyTokenChars,
                c.hasPath("max-live-nonces") ? c.getInt("max-live-nonces") : DEFAULTS.maxLiveNonces,
                c.hasPath("ask-timeout") ? c.getDuration("ask-timeout") : DEFAULTS.askTimeout);
    }

    int maxCharsFor(OperatorCommandKind kind) {
        return kind == OperatorCommandKind.POLICY ? maxPolicyTokenChars : maxTokenChars;
    }
}
