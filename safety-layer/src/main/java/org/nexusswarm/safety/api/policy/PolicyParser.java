package org.nexusswarm.safety.api.policy;

import org.nexusswarm.safety.internal.policy.Glob;
import org.nexusswarm.safety.internal.policy.ProvenanceView;


import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.monitor.Ladder;
import org.nexusswarm.safety.api.monitor.MonitorThresholds;
import org.nexusswarm.safety.api.policy.PolicyRule.Envelope;
import org.nexusswarm.safety.api.policy.PolicyRule.RateLimit;
import org.nexusswarm.safety.api.policy.PolicyRule.TimeWindow;

/**
 * Parses and validates policy files (HOCON, read with Typesafe Config). Strict by design: an unknown key, a
 * value of the wrong type or an impossible range is an error naming its line and path, because a typo must
 * never silently widen what the swarm may do.
 *
 * <h2>File format</h2>
 * <pre>{@code
 * scope   = "rail:energy-grid"     # required: rail:<name> or pack:<name> (lower case, digits, . _ -)
 * version = 4                      # required: integer >= 1; every accepted change must increase it
 * id      = "energy-grid-de"       # optional readable name (default: the scope)
 * description = "..."              # optional
 * definitions { ops = [...] }      # optional, free-form: only for ${definitions.ops} substitutions
 *
 * rules {                          # required, at least one rule; each key is a rule id ([a-z0-9_-])
 *   shed-load {
 *     action = "grid.shed-load"    # required: an action class or a glob (* any run, ? one character)
 *     description = "..."          # optional
 *     places = ["de-north/*"]      # optional globs; the request's place must match one
 *     parameters {                 # optional envelopes; a bounded parameter must be present and finite
 *       mw { min = 0, max = 50 }   # inclusive; give min, max or both
 *     }
 *     time-windows = [             # optional; the request time must fall inside one window
 *       { days = [MON, TUE, WED, THU, FRI], from = "06:00", to = "22:00", zone = "Europe/Berlin" }
 *     ]                            # days default to every day, zone to UTC; to = "24:00" is midnight;
 *                                  # to < from wraps past midnight (the window belongs to its start day)
 *     rate-limit { max = 10, per = 1h }   # at most max such actions by the entity in any window of per
 *     resources { fuel = 5000000 }        # caps on resources the request declares (as parameters)
 *     require-provenance { hops = 2 }     # every entity within 2 hops of the intent's cause chain (the
 *                                         # sender of the message the logic was processing, its sender's
 *                                         # cause, ...) must hold this action class in a valid credential;
 *                                         # hops 1..8; an unknown entity or outside principal lacks it;
 *                                         # since-start = true: also the chains of every input the logic
 *                                         # processed since it (re)started (what it can remember)
 *     approval = none                     # the default; or exactly one of:
 *     # approval { co-sign { approvers = ["did:nexus:..."], timeout = 10m } }            (1 of the humans)
 *     # approval { quorum  { k = 3, approvers = [six DIDs], timeout = 5m } }              (k of n)
 *     after {                             # optional sequence rule: the approval above is required only
 *       observed  = ["StormWarning"]      #   if the entity observed a payload type (glob) ...
 *       performed = ["alert.*"]           #   ... or was allowed an action class (glob) ...
 *       within    = 10m                   #   ... within this long before the request (journaled times);
 *     }                                   # give observed, performed or both; needs an approval
 *   }
 *   no-funds { action = "funds.*", deny = true }   # a deny rule: only action, deny and description
 * }
 *
 * monitors {                       # optional: MonitorThresholds.defaults() when absent
 *   window = 1m
 *   denial-rate        { warn = 0.2, throttle = 0.4, kill = 0.6 }
 *   actions-per-minute { warn = 600, throttle = 1200 }
 *   oscillation        { warn = 6, throttle = 10, require-approval = 16 }   # flip-flops A,B,A / A,A,B,B,A
 *   parameter-flapping { warn = 6, throttle = 10, require-approval = 16 }   # one parameter swinging back
 *   flapping-amplitude = 0.2       # a swing counts when it moves 20% or more of the larger value
 *   envelope-drift     { warn = 0.9, require-approval = 0.98 }
 * }                                # a monitor left out keeps its default ladder; a rung left out of a
 *                                  # named ladder means "never"; rungs must not decrease
 * }</pre>
 *
 * <p>Numbers must be numbers ({@code max = "50"} is refused), durations strings with a unit ({@code 5m}),
 * booleans {@code true}/{@code false}. {@code include} is refused (a policy is one self-contained, signed
 * text), and substitutions resolve only inside the file, never from the environment. Two allow rules with
 * the same exact action are refused as ambiguous. How rules are applied is documented on
 * {@link PolicyEngine}.
 */
public final class PolicyParser {

    /** Longer texts are refused before parsing. */
    public static final int MAX_TEXT_CHARS = 128 * 1024;

    private static final String ORIGIN = "policy";
    private static final Pattern ACTION = Pattern.compile("[a-z0-9*?][a-z0-9._*?-]{0,199}");
    private static final Pattern PAYLOAD_TYPE = Pattern.compile("[A-Za-z0-9_$*?][A-Za-z0-9_$*?]{0,199}");
    private static final Pattern RULE_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,99}");
    private static final Pattern PARAMETER = Pattern.compile("[a-z0-9][a-z0-9_-]{0,99}");
    private static final Pattern HH_MM = Pattern.compile("(\\d{2}):(\\d{2})");
    private static final ConfigParseOptions OPTIONS = ConfigParseOptions.defaults()
            .setSyntax(ConfigSyntax.CONF)
            .setOriginDescription(ORIGIN)
            .setAllowMissing(false)
            .setIncluder(new RefusingIncluder());

    private PolicyParser() {}

    /** Parses and validates {@code text}; the policy's sha256 is over its UTF-8 bytes. */
    public static Policy parse(String text) throws PolicyParseException {
        if (text == null || text.isBlank()) {
            throw new PolicyParseException("the policy text is empty");
        }
        if (text.length() > MAX_TEXT_CHARS) {
            throw new PolicyParseException("the policy text has " + text.length() + " characters; at most "
                    + MAX_TEXT_CHARS + " are accepted");
        }
        Config config;
        try {
            config = ConfigFactory.parseString(text, OPTIONS).resolve(ConfigResolveOptions.noSystem());
        } catch (ConfigException e) {
            throw new PolicyParseException("not valid HOCON: " + describe(e), e);
        }
        try {
            return build(new Obj(config.root(), ""), text);
        } catch (ConfigException e) {
            throw new PolicyParseException(describe(e), e);
        }
    }

    /** Hex SHA-256 of the UTF-8 bytes of {@code text}. */
    public static String sha256(String text) {
        return org.nexusswarm.memory.chronotope.HashChain.sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Policy build(Obj root, String text) throws PolicyParseException {
        root.allowOnly("scope", "version", "id", "description", "definitions", "rules", "monitors");
        String scope = root.string("scope");
        if (!Policy.isValidScope(scope)) {
            throw root.error("scope", "'" + scope + "' is not a scope; write rail:<name> or pack:<name> "
                    + "(lower-case letters, digits, '.', '_', '-')");
        }
        long version = root.integer("version");
        if (version < 1) {
            throw root.error("version", "must be at least 1, was " + version);
        }
        String id = root.has("id") ? root.string("id") : scope;
        if (root.has("description")) {
            root.string("description");
        }
        if (root.has("definitions")) {
            root.object("definitions");
        }
        Obj rules = root.object("rules");
        if (rules.keys().isEmpty()) {
            throw root.error("rules", "a policy needs at least one rule (to forbid everything write "
                    + "deny-all { action = \"*\", deny = true })");
        }
        List<PolicyRule> parsed = new ArrayList<>();
        Map<String, String> exactAllows = new HashMap<>();
        for (String ruleId : new TreeSet<>(rules.keys())) {
            if (!RULE_ID.matcher(ruleId).matches()) {
                throw rules.error(ruleId, "rule id '" + ruleId + "' must be lower-case letters, digits, '_' or '-'");
            }
            PolicyRule rule = rule(rules.object(ruleId), ruleId);
            if (!rule.deny() && !Glob.isPattern(rule.action())) {
                String other = exactAllows.putIfAbsent(rule.action(), ruleId);
                if (other != null) {
                    throw rules.error(ruleId, "rules '" + other + "' and '" + ruleId + "' both allow '"
                            + rule.action() + "'; merge them into one rule");
                }
            }
            parsed.add(rule);
        }
        MonitorThresholds monitors = root.has("monitors") ? monitors(root.object("monitors"))
                : MonitorThresholds.defaults();
        return new Policy(id, scope, version, sha256(text), parsed, monitors, text);
    }

    private static PolicyRule rule(Obj r, String id) throws PolicyParseException {
        r.allowOnly("action", "deny", "description", "places", "parameters", "time-windows", "rate-limit",
                "resources", "approval", "after", "require-provenance");
        String action = r.string("action");
        if (!ACTION.matcher(action).matches()) {
            throw r.error("action", "'" + action + "' is not an action class or glob (lower-case letters, "
                    + "digits, '.', '_', '-', '*', '?')");
        }
        if (r.has("description")) {
            r.string("description");
        }
        boolean deny = r.has("deny") && r.bool("deny");
        if (deny) {
            for (String key : r.keys()) {
                if (!Set.of("action", "deny", "description").contains(key)) {
                    throw r.error(key, "a deny rule forbids its actions outright and takes no '" + key
                            + "'; remove it, or set deny = false");
                }
            }
            return PolicyRule.denying(id, action);
        }
        List<String> places = r.has("places") ? r.strings("places", true) : List.of();
        Map<String, Envelope> parameters = r.has("parameters") ? envelopes(r.object("parameters")) : Map.of();
        List<TimeWindow> windows = r.has("time-windows") ? timeWindows(r, "time-windows") : List.of();
        Optional<RateLimit> rate = r.has("rate-limit") ? Optional.of(rateLimit(r.object("rate-limit")))
                : Optional.empty();
        Map<String, Double> resources = r.has("resources") ? resources(r.object("resources")) : Map.of();
        Optional<ApprovalRequirement> approval = r.has("approval") ? approval(r) : Optional.empty();
        Optional<PolicyRule.Sequence> after = r.has("after") ? Optional.of(sequence(r.object("after")))
                : Optional.empty();
        if (after.isPresent() && approval.isEmpty()) {
            throw r.error("after", "a sequence rule makes its approval conditional; give the rule an approval "
                    + "(co-sign { ... } or quorum { ... })");
        }
        int provenance = r.has("require-provenance") ? provenanceHops(r.object("require-provenance")) : 0;
        boolean sinceStart = provenance > 0 && r.object("require-provenance").has("since-start")
                && r.object("require-provenance").bool("since-start");
        return new PolicyRule(id, action, false, places, parameters, windows, rate, resources, approval, after,
                provenance, sinceStart);
    }

    private static int provenanceHops(Obj p) throws PolicyParseException {
        p.allowOnly("hops", "since-start");
        long hops = p.integer("hops");
        int max = ProvenanceView.MAX_HOPS;
        if (hops < 1 || hops > max) {
            throw p.error("hops", "must be between 1 and " + max + " (chains keep the newest " + max + " hops), was "
                    + hops);
        }
        return (int) hops;
    }

    private static Map<String, Envelope> envelopes(Obj params) throws PolicyParseException {
        Map<String, Envelope> out = new TreeMap<>();
        for (String name : params.keys()) {
            if (!PARAMETER.matcher(name).matches()) {
                throw params.error(name, "parameter name '" + name + "' must be lower-case letters, digits, "
                        + "'_' or '-'");
            }
            Obj env = params.object(name);
            env.allowOnly("min", "max");
            if (env.keys().isEmpty()) {
                throw params.error(name, "an envelope needs min, max or both");
            }
            double min = env.has("min") ? env.number("min") : Double.NEGATIVE_INFINITY;
            double max = env.has("max") ? env.number("max") : Double.POSITIVE_INFINITY;
            if (min > max) {
                throw params.error(name, "min (" + min + ") is above max (" + max + ")");
            }
            out.put(name, new Envelope(min, max));
        }
        return out;
    }

    private static List<TimeWindow> timeWindows(Obj rule, String key) throws PolicyParseException {
        List<Obj> windows = rule.objects(key);
        if (windows.isEmpty()) {
            throw rule.error(key, "list at least one window, or leave time-windows out (any time)");
        }
        List<TimeWindow> out = new ArrayList<>();
        for (Obj w : windows) {
            w.allowOnly("days", "from", "to", "zone");
            Set<DayOfWeek> days = EnumSet.allOf(DayOfWeek.class);
            if (w.has("days")) {
                days = EnumSet.noneOf(DayOfWeek.class);
                for (String d : w.strings("days", true)) {
                    days.add(day(w, d));
                }
                if (days.isEmpty()) {
                    throw w.error("days", "list at least one day, or leave days out (every day)");
                }
            }
            int from = minuteOfDay(w, "from");
            int to = minuteOfDay(w, "to");
            if (from == 1440) {
                throw w.error("from", "a window cannot start at 24:00");
            }
            if (from == to) {
                throw w.error("to", "from and to are equal; for the whole day write from = \"00:00\", to = \"24:00\"");
            }
            ZoneId zone = ZoneId.of("UTC");
            if (w.has("zone")) {
                String z = w.string("zone");
                try {
                    zone = ZoneId.of(z);
                } catch (RuntimeException e) {
                    throw w.error("zone", "unknown time zone '" + z + "' (e.g. UTC, Europe/Berlin)");
                }
            }
            out.add(new TimeWindow(days, from, to, zone));
        }
        return out;
    }

    private static DayOfWeek day(Obj w, String d) throws PolicyParseException {
        String upper = d.toUpperCase(java.util.Locale.ROOT);
        for (DayOfWeek day : DayOfWeek.values()) {
            if (day.name().equals(upper) || day.name().substring(0, 3).equals(upper)) {
                return day;
            }
        }
        throw w.error("days", "'" + d + "' is not a day (MON, TUE, WED, THU, FRI, SAT, SUN)");
    }

    private static int minuteOfDay(Obj w, String key) throws PolicyParseException {
        String s = w.string(key);
        Matcher m = HH_MM.matcher(s);
        if (m.matches()) {
            int h = Integer.parseInt(m.group(1));
            int min = Integer.parseInt(m.group(2));
            if ((h < 24 && min < 60) || (h == 24 && min == 0)) {
                return h * 60 + min;
            }
        }
        throw w.error(key, "'" + s + "' is not a time of day; write HH:mm, e.g. \"06:00\" (or \"24:00\" for midnight)");
    }

    private static RateLimit rateLimit(Obj r) throws PolicyParseException {
        r.allowOnly("max", "per");
        long max = r.integer("max");
        if (max < 1 || max > Integer.MAX_VALUE) {
            throw r.error("max", "must be between 1 and " + Integer.MAX_VALUE + " (to forbid, write a deny rule)");
        }
        return new RateLimit((int) max, r.duration("per"));
    }

    private static PolicyRule.Sequence sequence(Obj a) throws PolicyParseException {
        a.allowOnly("observed", "performed", "within");
        List<String> observed = a.has("observed") ? a.strings("observed", true) : List.of();
        List<String> performed = a.has("performed") ? a.strings("performed", true) : List.of();
        if (observed.isEmpty() && performed.isEmpty()) {
            throw a.error("observed", "name at least one trigger: observed = [payload types] or performed = "
                    + "[action classes]");
        }
        for (String t : observed) {
            if (!PAYLOAD_TYPE.matcher(t).matches()) {
                throw a.error("observed", "'" + t + "' is not a payload type name or glob (letters, digits, "
                        + "'_', '$', '*', '?')");
            }
        }
        for (String t : performed) {
            if (!ACTION.matcher(t).matches()) {
                throw a.error("performed", "'" + t + "' is not an action class or glob");
            }
        }
        return new PolicyRule.Sequence(observed, performed, a.duration("within"));
    }

    private static Map<String, Double> resources(Obj r) throws PolicyParseException {
        Map<String, Double> out = new TreeMap<>();
        for (String name : r.keys()) {
            if (!PARAMETER.matcher(name).matches()) {
                throw r.error(name, "resource name '" + name + "' must be lower-case letters, digits, '_' or '-'");
            }
            double cap = r.number(name);
            if (cap < 0) {
                throw r.error(name, "a resource cap cannot be negative");
            }
            out.put(name, cap);
        }
        return out;
    }

    private static Optional<ApprovalRequirement> approval(Obj rule) throws PolicyParseException {
        ConfigValue v = rule.value("approval");
        if (v.valueType() == ConfigValueType.STRING) {
            if ("none".equals(v.unwrapped())) {
                return Optional.empty();
            }
            throw rule.error("approval", "'" + v.unwrapped() + "' is not an approval; write none, "
                    + "co-sign { ... } or quorum { ... }");
        }
        Obj a = rule.object("approval");
        a.allowOnly("co-sign", "quorum");
        if (a.keys().size() != 1) {
            throw rule.error("approval", "give exactly one of co-sign or quorum");
        }
        boolean coSign = a.has("co-sign");
        Obj spec = a.object(coSign ? "co-sign" : "quorum");
        spec.allowOnly(coSign ? new String[] {"approvers", "timeout"} : new String[] {"k", "approvers", "timeout"});
        List<String> approvers = spec.strings("approvers", true);
        if (approvers.isEmpty()) {
            throw spec.error("approvers", "name at least one approver DID");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String did : approvers) {
            if (!isDid(did)) {
                throw spec.error("approvers", "'" + did + "' is not a Nexus DID (did:nexus:<base64url Ed25519 key>)");
            }
            if (!seen.add(did)) {
                throw spec.error("approvers", did + " is listed twice");
            }
        }
        long k = coSign ? 1 : spec.integer("k");
        if (k < 1 || k > approvers.size()) {
            throw spec.error("k", "needs 1 <= k <= " + approvers.size() + " (the number of approvers), was " + k);
        }
        Duration timeout = spec.duration("timeout");
        return Optional.of(new ApprovalRequirement(coSign ? ApprovalRequirement.Kind.CO_SIGN
                : ApprovalRequirement.Kind.QUORUM, (int) k, approvers, timeout));
    }

    private static boolean isDid(String s) {
        try {
            return new Did(s).publicKey().length == Ed25519.KEY_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static MonitorThresholds monitors(Obj m) throws PolicyParseException {
        m.allowOnly("window", "denial-rate", "actions-per-minute", "oscillation", "envelope-drift",
                "parameter-flapping", "flapping-amplitude");
        MonitorThresholds d = MonitorThresholds.defaults();
        double amplitude = d.flappingAmplitude();
        if (m.has("flapping-amplitude")) {
            amplitude = m.number("flapping-amplitude");
            if (!(amplitude > 0) || amplitude > 2) {
                throw m.error("flapping-amplitude", "must be a fraction above 0 and at most 2 (0.2 = 20%), was "
                        + amplitude);
            }
        }
        return new MonitorThresholds(
                m.has("window") ? m.duration("window") : d.window(),
                m.has("denial-rate") ? ladder(m.object("denial-rate")) : d.denialRate(),
                m.has("actions-per-minute") ? ladder(m.object("actions-per-minute")) : d.actionsPerMinute(),
                m.has("oscillation") ? ladder(m.object("oscillation")) : d.oscillation(),
                m.has("envelope-drift") ? ladder(m.object("envelope-drift")) : d.envelopeDrift(),
                m.has("parameter-flapping") ? ladder(m.object("parameter-flapping")) : d.parameterFlapping(),
                amplitude);
    }

    private static Ladder ladder(Obj l) throws PolicyParseException {
        String[] rungs = {"warn", "throttle", "require-approval", "kill"};
        l.allowOnly(rungs);
        double[] v = new double[4];
        double previous = Double.NEGATIVE_INFINITY;
        String previousName = null;
        for (int i = 0; i < rungs.length; i++) {
            v[i] = l.has(rungs[i]) ? l.number(rungs[i]) : Double.NaN;
            if (Double.isNaN(v[i])) {
                continue;
            }
            if (v[i] < 0) {
                throw l.error(rungs[i], "cannot be negative");
            }
            if (v[i] < previous) {
                throw l.error(rungs[i], "(" + v[i] + ") is below " + previousName + " (" + previous
                        + "); rungs must not decrease");
            }
            previous = v[i];
            previousName = rungs[i];
        }
        return new Ladder(v[0], v[1], v[2], v[3]);
    }

    private static String describe(ConfigException e) {
        String message = e.getMessage();
        if (e.origin() != null && e.origin().lineNumber() > 0) {
            // Typesafe prefixes "policy: <line>: "; say it plainly.
            String prefix = ORIGIN + ": " + e.origin().lineNumber() + ": ";
            String rest = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
            return "line " + e.origin().lineNumber() + ": " + rest;
        }
        return message.startsWith(ORIGIN + ": ") ? message.substring(ORIGIN.length() + 2) : message;
    }

    /** A HOCON object with its path, and typed, strict accessors that fail with line and path. */
    private static final class Obj {
        private final ConfigObject object;
        private final String path;

        Obj(ConfigObject object, String path) {
            this.object = object;
            this.path = path;
        }

        Set<String> keys() {
            return object.keySet();
        }

        boolean has(String key) {
            ConfigValue v = object.get(key);
            return v != null && v.valueType() != ConfigValueType.NULL;
        }

        String at(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        PolicyParseException error(String key, String problem) {
            ConfigValue v = object.get(key);
            int line = v != null ? v.origin().lineNumber() : object.origin().lineNumber();
            return new PolicyParseException((line > 0 ? "line " + line + ": " : "") + at(key) + ": " + problem);
        }

        void allowOnly(String... allowed) throws PolicyParseException {
            Set<String> ok = Set.of(allowed);
            for (String key : new TreeSet<>(object.keySet())) {
                if (!ok.contains(key)) {
                    int line = object.get(key).origin().lineNumber();
                    throw new PolicyParseException((line > 0 ? "line " + line + ": " : "")
                            + (path.isEmpty() ? "" : path + ": ") + "unknown key '" + key + "' (expected one of "
                            + new TreeSet<>(ok) + ")");
                }
            }
        }

        ConfigValue value(String key) throws PolicyParseException {
            ConfigValue v = object.get(key);
            if (v == null || v.valueType() == ConfigValueType.NULL) {
                int line = object.origin().lineNumber();
                throw new PolicyParseException((line > 0 ? "line " + line + ": " : "") + at(key) + ": missing");
            }
            return v;
        }

        private ConfigValue typed(String key, ConfigValueType type, String what) throws PolicyParseException {
            ConfigValue v = value(key);
            if (v.valueType() != type) {
                throw error(key, "must be " + what + ", found " + v.valueType().name().toLowerCase()
                        + " " + v.render());
            }
            return v;
        }

        String string(String key) throws PolicyParseException {
            String s = (String) typed(key, ConfigValueType.STRING, "a string").unwrapped();
            if (s.isBlank()) {
                throw error(key, "must not be blank");
            }
            return s;
        }

        boolean bool(String key) throws PolicyParseException {
            return (Boolean) typed(key, ConfigValueType.BOOLEAN, "true or false").unwrapped();
        }

        double number(String key) throws PolicyParseException {
            double d = ((Number) typed(key, ConfigValueType.NUMBER, "a number").unwrapped()).doubleValue();
            if (!Double.isFinite(d)) {
                throw error(key, "must be finite");
            }
            return d;
        }

        long integer(String key) throws PolicyParseException {
            Object n = typed(key, ConfigValueType.NUMBER, "a whole number").unwrapped();
            if (!(n instanceof Integer || n instanceof Long)) {
                throw error(key, "must be a whole number, was " + n);
            }
            return ((Number) n).longValue();
        }

        Duration duration(String key) throws PolicyParseException {
            ConfigValue v = typed(key, ConfigValueType.STRING, "a duration with a unit (e.g. 5m, 30s, 1h)");
            Duration d;
            try {
                d = v.atKey("d").getDuration("d");
            } catch (ConfigException e) {
                throw error(key, "'" + v.unwrapped() + "' is not a duration (e.g. 5m, 30s, 1h)");
            }
            if (d.isNegative() || d.isZero()) {
                throw error(key, "must be positive");
            }
            return d;
        }

        Obj object(String key) throws PolicyParseException {
            return new Obj((ConfigObject) typed(key, ConfigValueType.OBJECT, "an object { ... }"), at(key));
        }

        List<String> strings(String key, boolean nonBlank) throws PolicyParseException {
            ConfigList list = (ConfigList) typed(key, ConfigValueType.LIST, "a list [ ... ]");
            List<String> out = new ArrayList<>();
            for (ConfigValue item : list) {
                if (item.valueType() != ConfigValueType.STRING || (nonBlank && ((String) item.unwrapped()).isBlank())) {
                    throw error(key, "every element must be a non-blank string, found " + item.render());
                }
                out.add((String) item.unwrapped());
            }
            if (new HashSet<>(out).size() != out.size()) {
                throw error(key, "lists an element twice");
            }
            return out;
        }

        List<Obj> objects(String key) throws PolicyParseException {
            ConfigList list = (ConfigList) typed(key, ConfigValueType.LIST, "a list [ { ... } ]");
            List<Obj> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                ConfigValue item = list.get(i);
                if (item.valueType() != ConfigValueType.OBJECT) {
                    throw error(key, "element " + i + " must be an object { ... }, found " + item.render());
                }
                out.add(new Obj((ConfigObject) item, at(key) + "[" + i + "]"));
            }
            return out;
        }
    }

    /** Refuses every {@code include}: a policy is one self-contained signed text, never files or URLs. */
    private static final class RefusingIncluder
            implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL, ConfigIncluderClasspath {

        @Override
        public ConfigIncluder withFallback(ConfigIncluder fallback) {
            return this;
        }

        @Override
        public ConfigObject include(ConfigIncludeContext context, String what) {
            throw refuse(context, what);
        }

        @Override
        public ConfigObject includeFile(ConfigIncludeContext context, File what) {
            throw refuse(context, what.toString());
        }

        @Override
        public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
            throw refuse(context, what.toString());
        }

        @Override
        public ConfigObject includeResources(ConfigIncludeContext context, String what) {
            throw refuse(context, what);
        }

        private static ConfigException refuse(ConfigIncludeContext context, String what) {
            return new ConfigException.Generic("include is not allowed in a policy (tried to include '"
                    + what + "'); paste the content instead");
        }
    }
}
