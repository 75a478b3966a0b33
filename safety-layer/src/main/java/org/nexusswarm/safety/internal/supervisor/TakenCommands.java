package org.nexusswarm.safety.internal.supervisor;

import java.util.HashMap;
import java.util.Map;
import org.nexusswarm.actors.SwarmMessage;

/**
 * The signed operator commands (by token id) a supervisor took, each with its expiry: journaled facts
 * ({@code OperatorCommandTaken}), so recovery rebuilds them and a captured token re-sent through sharding after a
 * restart or passivation is still refused. An entry is kept until {@link #KEEP_AFTER_EXPIRY_MILLIS} past its
 * expiry (more than any clock skew a verifier allows, so no verifier still accepts a pruned token), and pruned when
 * the next command is taken.
 *
 * <p>Bounded: at most {@link #MAX} unexpired entries; a supervisor that has no room refuses the next command (fail
 * closed) rather than forget one that could still be replayed.
 */
public record TakenCommands(Map<String, Long> expiries) implements SwarmMessage {

    /** The most commands remembered at once (tokens live minutes: far more than operators send one entity). */
    public static final int MAX = 1024;
    /** How long an entry outlives its token's expiry. */
    public static final long KEEP_AFTER_EXPIRY_MILLIS = 5 * 60_000L;
    public static final TakenCommands NONE = new TakenCommands(Map.of());

    public TakenCommands {
        expiries = expiries == null ? Map.of() : Map.copyOf(expiries);
    }

    public boolean contains(String jti) {
        return jti != null && expiries.containsKey(jti);
    }

    /** Whether one more command could be taken at {@code nowMillis}, once the expired ones are pruned. */
    public boolean hasRoom(long nowMillis) {
        return pruned(nowMillis).expiries.size() < MAX;
    }

    /** These commands and {@code jti} (valid until {@code expiresAtMillis}), without those expired at {@code nowMillis}. */
    TakenCommands take(String jti, long expiresAtMillis, long nowMillis) {
        Map<String, Long> next = new HashMap<>(pruned(nowMillis).expiries);
        next.put(jti, expiresAtMillis);
        return new TakenCommands(next);
    }

    private TakenCommands pruned(long nowMillis) {
        boolean any = false;
        for (long expiry : expiries.values()) {
            any |= expired(expiry, nowMillis);
        }
        if (!any) {
            return this;
        }
        Map<String, Long> kept = new HashMap<>();
        expiries.forEach((jti, expiry) -> {
            if (!expired(expiry, nowMillis)) {
                kept.put(jti, expiry);
            }
        });
        return new TakenCommands(kept);
    }

    private static boolean expired(long expiry, long nowMillis) {
        return expiry < nowMillis - KEEP_AFTER_EXPIRY_MILLIS;
    }
}
