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
 * @param audience            the swarm's name as tokens must carry it in {@code aud}: a token minted for another
 *                            swarm that trusts the same operator key is refused here
 */
public record OperatorCommandSettings(Duration maxLifetime, Duration clockSkew, int maxTokenChars,
        int maxPolicyTokenChars, int maxLiveNonces, Duration askTimeout, String audience) {

    public static final String PATH = "nexus.swarm.safety.operator-commands";
    /** The audience when nothing names one: the ActorSystem name every swarm node runs under. */
    public static final String DEFAULT_AUDIENCE = "nexus-swarm";
    public static final int MAX_AUDIENCE_CHARS = 200;
    public static final OperatorCommandSettings DEFAULTS = new OperatorCommandSettings(Duration.ofMinutes(5),
            Duration.ofSeconds(30), 16 * 1024, 1024 * 1024, 10_000, Duration.ofSeconds(5), DEFAULT_AUDIENCE);

    public OperatorCommandSettings {
        if (maxLifetime.isNegative() || maxLifetime.isZero() || clockSkew.isNegative() || maxTokenChars < 256
                || maxPolicyTokenChars < maxTokenChars || maxLiveNonces < 1) {
            throw new IllegalArgumentException(PATH + ": lifetimes must be positive and limits sensible");
        }
        if (audience == null || audience.isBlank() || audience.length() > MAX_AUDIENCE_CHARS) {
            throw new IllegalArgumentException(PATH + ".audience must be 1-" + MAX_AUDIENCE_CHARS + " characters");
        }
    }

    /**
     * The settings under {@link #PATH}; an unset or empty {@code audience} means {@code systemName} (the
     * ActorSystem's name), the rest defaults to {@link #DEFAULTS}.
     */
    public static OperatorCommandSettings from(Config config, String systemName) {
        if (!config.hasPath(PATH)) {
            return DEFAULTS.withAudience(systemName);
        }
        Config c = config.getConfig(PATH);
        String audience = c.hasPath("audience") ? c.getString("audience").trim() : "";
        return new OperatorCommandSettings(
                c.hasPath("max-lifetime") ? c.getDuration("max-lifetime") : DEFAULTS.maxLifetime,
                c.hasPath("clock-skew") ? c.getDuration("clock-skew") : DEFAULTS.clockSkew,
                c.hasPath("max-token-chars") ? c.getInt("max-token-chars") : DEFAULTS.maxTokenChars,
                c.hasPath("max-policy-token-chars") ? c.getInt("max-policy-token-chars") : DEFAULTS.maxPolicyTokenChars,
                c.hasPath("max-live-nonces") ? c.getInt("max-live-nonces") : DEFAULTS.maxLiveNonces,
                c.hasPath("ask-timeout") ? c.getDuration("ask-timeout") : DEFAULTS.askTimeout,
                audience.isEmpty() ? systemName : audience);
    }

    /** The audience a node of {@code system} requires (what the CLI and tests mint tokens for). */
    public static String audienceOf(org.apache.pekko.actor.typed.ActorSystem<?> system) {
        return from(system.settings().config(), system.name()).audience();
    }

    public OperatorCommandSettings withAudience(String newAudience) {
        return new OperatorCommandSettings(maxLifetime, clockSkew, maxTokenChars, maxPolicyTokenChars, maxLiveNonces,
                askTimeout, newAudience);
    }

    int maxCharsFor(OperatorCommandKind kind) {
        return kind == OperatorCommandKind.POLICY ? maxPolicyTokenChars : maxTokenChars;
    }
}
