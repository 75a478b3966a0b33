package org.nexusswarm.safety.api.policy;

import java.util.List;
import java.util.regex.Pattern;
import org.nexusswarm.safety.api.monitor.MonitorThresholds;

/**
 * A parsed, versioned policy for one scope: a rail ({@code rail:drought-watch}) or a pack
 * ({@code pack:climate}). Immutable; built by {@link PolicyParser}, which documents the file format.
 *
 * @param id       a readable name (defaults to the scope)
 * @param scope    {@code rail:<name>} or {@code pack:<name>}
 * @param version  increases with every accepted change of the scope's policy
 * @param sha256   hex SHA-256 of {@code text}, the exact bytes that were signed and journaled
 * @param rules    sorted by rule id
 * @param monitors escalation thresholds of the trajectory monitors ({@link MonitorThresholds#defaults()} when
 *                 the file names none)
 * @param text     the policy file as written
 */
public record Policy(String id, String scope, long version, String sha256, List<PolicyRule> rules,
        MonitorThresholds monitors, String text) {

    public static final String RAIL = "rail";
    public static final String PACK = "pack";
    private static final Pattern SCOPE = Pattern.compile("(rail|pack):[a-z0-9][a-z0-9._-]{0,99}");

    public Policy {
        rules = List.copyOf(rules);
    }

    /** {@code rail:drought-watch@3}: the text decision events record. */
    public String versionTag() {
        return scope + "@" + version;
    }

    /** {@code rail} or {@code pack}. */
    public String scopeKind() {
        return scope.substring(0, scope.indexOf(':'));
    }

    public static String railScope(String rail) {
        return RAIL + ":" + rail;
    }

    public static String packScope(String pack) {
        return PACK + ":" + pack;
    }

    /** True for {@code rail:<name>} or {@code pack:<name>} with a lower-case name of letters, digits, {@code ._-}. */
    public static boolean isValidScope(String scope) {
        return scope != null && SCOPE.matcher(scope).matches();
    }

    @Override
    public String toString() {
        String sha = sha256 == null || sha256.length() <= 12 ? String.valueOf(sha256) : sha256.substring(0, 12) + "…";
        return "Policy(" + versionTag() + ", " + rules.size() + " rules, sha256 " + sha + ")";
    }
}
