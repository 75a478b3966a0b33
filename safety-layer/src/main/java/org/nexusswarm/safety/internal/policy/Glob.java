package org.nexusswarm.safety.internal.policy;

/**
 * The globs of policy files: {@code *} matches any run of characters (dots and slashes included), {@code ?}
 * exactly one; everything else matches itself. Used for action classes ({@code grid.*}) and places
 * ({@code sahel-cell-*}).
 *
 * <p>A linear-time matcher without regular expressions, so evaluating a rule compiles nothing and a
 * hostile pattern cannot backtrack exponentially.
 */
public final class Glob {

    private Glob() {}

    /** True when {@code text} matches {@code glob} as a whole. */
    public static boolean matches(String glob, String text) {
        if (glob == null || text == null) {
            return false;
        }
        int g = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == text.charAt(t))) {
                g++;
                t++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                resume = t;
            } else if (star >= 0) {
                g = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    /** True when {@code glob} contains a wildcard. */
    public static boolean isPattern(String glob) {
        return glob.indexOf('*') >= 0 || glob.indexOf('?') >= 0;
    }

    /**
     * How specific a pattern is: an exact name outranks every glob; among globs, more literal characters
     * rank higher ({@code grid.shed-*} over {@code grid.*} over {@code *}).
     */
    public static int specificity(String glob) {
        if (!isPattern(glob)) {
            return Integer.MAX_VALUE;
        }
        int literal = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c != '*' && c != '?') {
                literal++;
            }
        }
        return literal;
    }
}
