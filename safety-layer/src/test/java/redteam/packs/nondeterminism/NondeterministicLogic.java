package redteam.packs.nondeterminism;

import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.WeakHashMap;
import java.util.stream.Collectors;

/**
 * Red team: a step that gives another answer when a replay calls it again (another JVM, locale or time zone),
 * with no clock or random number generator in sight.
 */
public final class NondeterministicLogic {

    public enum Mode { A, B }

    public static int identity(Object o) {
        return System.identityHashCode(o);
    }

    public static int objectHash() {
        return new Object().hashCode();
    }

    public static String objectText() {
        return new Object().toString();
    }

    /** A pack class without hashCode: the call names the pack class, the JVM runs Object's identity hash. */
    public static int ownHash() {
        return new NondeterministicLogic().hashCode();
    }

    public static int enumHash() {
        return Mode.A.hashCode();
    }

    /** Iteration order follows hash codes: enum keys hash by identity, so the order differs per run. */
    public static String hashOrder(List<Mode> modes) {
        Map<Mode, Integer> counts = new HashMap<>();
        Set<Mode> seen = new HashSet<>();
        Map<Mode, Integer> table = new Hashtable<>();
        Map<Object, Object> identity = new IdentityHashMap<>();
        Map<Object, Object> weak = new WeakHashMap<>();
        for (Mode m : modes) {
            counts.merge(m, 1, Integer::sum);
            seen.add(m);
            table.put(m, 1);
            identity.put(m, m);
            weak.put(m, m);
        }
        return counts.keySet() + " " + seen + " " + modes.stream().collect(Collectors.toSet())
                + modes.stream().collect(Collectors.groupingByConcurrent(m -> m)).keySet();
    }

    public static String locale(String s) {
        return s.toUpperCase() + s.toLowerCase() + String.format("%.2f", 1.5) + "%s".formatted(s)
                + Locale.getDefault();
    }

    public static String zone() {
        return DateTimeFormatter.ofPattern("MMM").toString() + TimeZone.getDefault() + ZoneId.systemDefault()
                + Clock.systemDefaultZone();
    }

    public static String number(double d) {
        return java.text.NumberFormat.getInstance().format(d);
    }

    public static String date(long millis) {
        return new java.util.Date(millis).toString();
    }
}
