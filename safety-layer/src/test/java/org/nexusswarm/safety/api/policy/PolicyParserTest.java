package org.nexusswarm.safety.api.policy;

import org.nexusswarm.safety.api.policy.PolicyTexts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nexusswarm.safety.api.policy.PolicyTexts.did;
import static org.nexusswarm.safety.api.policy.PolicyTexts.dids;
import static org.nexusswarm.safety.api.policy.PolicyTexts.policy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.monitor.Ladder;
import org.nexusswarm.safety.api.monitor.MonitorThresholds;
import org.nexusswarm.safety.api.policy.PolicyRule.Envelope;
import org.nexusswarm.safety.api.policy.PolicyRule.RateLimit;
import org.nexusswarm.safety.api.policy.PolicyRule.TimeWindow;

/** The policy file format: every rule kind parses; every unknown key, wrong type and impossible value is refused. */
class PolicyParserTest {

    private static final String FULL = """
            scope = "rail:energy-grid"
            version = 7
            id = "energy-grid-de"
            description = "test grid"
            definitions { ops = %s }
            rules {
              shed-load {
                action = "grid.shed-load"
                description = "load shedding"
                places = ["de-north/*", "de-south/substation-?"]
                parameters {
                  mw { min = 0, max = 50 }
                  ramp { max = 5.5 }
                  hold-s { min = 10 }
                }
                time-windows = [
                  { days = [MON, TUE, WED, THU, FRI], from = "06:00", to = "22:00", zone = "Europe/Berlin" }
                  { days = [saturday], from = "22:00", to = "06:00" }
                  { from = "00:00", to = "24:00" }
                ]
                rate-limit { max = 10, per = 1h }
                resources { fuel = 5000000, cpu-ms = 200 }
                approval { quorum { k = 3, approvers = %s, timeout = 5m } }
              }
              override {
                action = "grid.override"
                approval { co-sign { approvers = ${definitions.ops}, timeout = 10m } }
              }
              read { action = "grid.read-*", approval = none }
              no-funds { action = "funds.*", deny = true, description = "never" }
            }
            monitors {
              window = 2m
              denial-rate { warn = 0.1, throttle = 0.2, kill = 0.5 }
              envelope-drift { warn = 0.8 }
            }
            """.formatted(dids(0, 2), dids(0, 6));

    private static Policy parse(String text) throws PolicyParseException {
        return PolicyParser.parse(text);
    }

    private static PolicyRule rule(Policy p, String id) {
        return p.rules().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void parsesEveryRuleKind() throws Exception {
        Policy p = parse(FULL);
        assertEquals("energy-grid-de", p.id());
        assertEquals("rail:energy-grid", p.scope());
        assertEquals(7, p.version());
        assertEquals("rail:energy-grid@7", p.versionTag());
        assertEquals(PolicyParser.sha256(FULL), p.sha256());
        assertEquals(64, p.sha256().length());
        assertEquals(FULL, p.text());
        assertEquals(List.of("no-funds", "override", "read", "shed-load"), p.rules().stream().map(PolicyRule::id).toList());

        PolicyRule shed = rule(p, "shed-load");
        assertEquals("grid.shed-load", shed.action());
        assertFalse(shed.deny());
        assertEquals(List.of("de-north/*", "de-south/substation-?"), shed.places());
        assertEquals(new Envelope(0, 50), shed.parameters().get("mw"));
        assertEquals(new Envelope(Double.NEGATIVE_INFINITY, 5.5), shed.parameters().get("ramp"));
        assertEquals(new Envelope(10, Double.POSITIVE_INFINITY), shed.parameters().get("hold-s"));
        assertEquals(3, shed.timeWindows().size());
        assertEquals(new TimeWindow(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), 360, 1320,
                ZoneId.of("Europe/Berlin")), shed.timeWindows().get(0));
        assertEquals(new TimeWindow(Set.of(DayOfWeek.SATURDAY), 1320, 360, ZoneId.of("UTC")), shed.timeWindows().get(1));
        assertEquals(new TimeWindow(EnumSet.allOf(DayOfWeek.class), 0, 1440, ZoneId.of("UTC")), shed.timeWindows().get(2));
        assertEquals(new RateLimit(10, Duration.ofHours(1)), shed.rateLimit().orElseThrow());
        assertEquals(5_000_000.0, shed.resourceCaps().get("fuel"));
        assertEquals(200.0, shed.resourceCaps().get("cpu-ms"));
        ApprovalRequirement quorum = shed.approval().orElseThrow();
        assertEquals(ApprovalRequirement.Kind.QUORUM, quorum.kind());
        assertEquals(3, quorum.k());
        assertEquals(6, quorum.approvers().size());
        assertEquals(Duration.ofMinutes(5), quorum.timeout());

        ApprovalRequirement coSign = rule(p, "override").approval().orElseThrow();
        assertEquals(ApprovalRequirement.Kind.CO_SIGN, coSign.kind());
        assertEquals(1, coSign.k());
        assertEquals(List.of(did(0), did(1)), coSign.approvers(), "substituted from definitions");
        assertEquals(Duration.ofMinutes(10), coSign.timeout());

        assertTrue(rule(p, "read").approval().isEmpty());
        assertTrue(rule(p, "no-funds").deny());

        MonitorThresholds m = p.monitors();
        assertEquals(Duration.ofMinutes(2), m.window());
        assertEquals(0.1, m.denialRate().warn());
        assertTrue(Double.isNaN(m.denialRate().requireApproval()), "a rung left out means never");
        assertEquals(0.8, m.envelopeDrift().warn());
        assertTrue(Double.isNaN(m.envelopeDrift().requireApproval()));
        assertEquals(MonitorThresholds.defaults().oscillation(), m.oscillation(), "a monitor left out keeps its default");
    }

    @Test
    void monitorsDefaultWhenAbsent() throws Exception {
        Policy p = parse(PolicyTexts.simple("pack:climate", 1));
        assertEquals(MonitorThresholds.defaults(), p.monitors());
        assertEquals("pack:climate", p.id());
        assertEquals("pack", p.scopeKind());
    }

    @Test
    void nullApprovalMeansNone() throws Exception {
        Policy p = parse(policy("rail:x", 1, "a { action = \"a.b\", approval = null }"));
        assertTrue(p.rules().get(0).approval().isEmpty());
    }

    static Stream<Arguments> unknownKeys() {
        return Stream.of(
                Arguments.of("top level", "scope = \"rail:x\"\nversion = 1\nrule { a { action = \"a\" } }\nrules { a { action = \"a\" } }",
                        "line 3: unknown key 'rule'"),
                Arguments.of("rule", policy("rail:x", 1, "a {\n  acton = \"a\"\n}"), "line 5: rules.a: unknown key 'acton'"),
                Arguments.of("places", policy("rail:x", 1, "a { action = \"a\", place = [\"x\"] }"), "unknown key 'place'"),
                Arguments.of("envelope", policy("rail:x", 1, "a { action = \"a\", parameters { mw { maxx = 50 } } }"),
                        "rules.a.parameters.mw: unknown key 'maxx'"),
                Arguments.of("time window", policy("rail:x", 1,
                        "a { action = \"a\", time-windows = [{ day = [MON], from = \"01:00\", to = \"02:00\" }] }"),
                        "rules.a.time-windows[0]: unknown key 'day'"),
                Arguments.of("rate limit", policy("rail:x", 1, "a { action = \"a\", rate-limit { max = 1, pr = 1m } }"),
                        "rules.a.rate-limit: unknown key 'pr'"),
                Arguments.of("approval kind", policy("rail:x", 1,
                        "a { action = \"a\", approval { quorom { k = 1, approvers = " + dids(0, 1) + ", timeout = 1m } } }"),
                        "rules.a.approval: unknown key 'quorom'"),
                Arguments.of("quorum", policy("rail:x", 1,
                        "a { action = \"a\", approval { quorum { k = 1, approvers = " + dids(0, 1) + ", timout = 1m } } }"),
                        "rules.a.approval.quorum: unknown key 'timout'"),
                Arguments.of("co-sign takes no k", policy("rail:x", 1,
                        "a { action = \"a\", approval { co-sign { k = 2, approvers = " + dids(0, 2) + ", timeout = 1m } } }"),
                        "rules.a.approval.co-sign: unknown key 'k'"),
                Arguments.of("monitor", policy("rail:x", 1, "a { action = \"a\" }") + "monitors { denial-rat { warn = 1 } }",
                        "monitors: unknown key 'denial-rat'"),
                Arguments.of("ladder rung", policy("rail:x", 1, "a { action = \"a\" }") + "monitors { oscillation { wran = 1 } }",
                        "monitors.oscillation: unknown key 'wran'"),
                Arguments.of("dotted rule key", policy("rail:x", 1, "grid.shed-load { action = \"grid.shed-load\" }"),
                        "rules.grid: unknown key 'shed-load'"),
                Arguments.of("deny rule with constraints", policy("rail:x", 1,
                        "a { action = \"a.*\", deny = true, places = [\"x\"] }"),
                        "rules.a.places: a deny rule forbids its actions outright and takes no 'places'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownKeys")
    void unknownKeysAndTyposAreRefused(String what, String text, String expected) {
        PolicyParseException e = assertThrows(PolicyParseException.class, () -> parse(text));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    static Stream<Arguments> invalidValues() {
        String a = "a { action = \"a\", ";
        return Stream.of(
                Arguments.of("empty text", "  \n", "the policy text is empty"),
                Arguments.of("too long", "# " + "x".repeat(PolicyParser.MAX_TEXT_CHARS), "at most"),
                Arguments.of("no scope", "version = 1\nrules { a { action = \"a\" } }", "scope: missing"),
                Arguments.of("bad scope", PolicyTexts.simple("grid", 1), "'grid' is not a scope"),
                Arguments.of("upper-case scope", PolicyTexts.simple("rail:Grid", 1), "is not a scope"),
                Arguments.of("version 0", PolicyTexts.simple("rail:x", 0), "version: must be at least 1"),
                Arguments.of("fractional version", "scope = \"rail:x\"\nversion = 1.5\nrules { a { action = \"a\" } }",
                        "version: must be a whole number"),
                Arguments.of("string version", "scope = \"rail:x\"\nversion = \"2\"\nrules { a { action = \"a\" } }",
                        "version: must be a whole number, found string"),
                Arguments.of("no rules", "scope = \"rail:x\"\nversion = 1", "rules: missing"),
                Arguments.of("empty rules", "scope = \"rail:x\"\nversion = 1\nrules {}", "at least one rule"),
                Arguments.of("bad rule id", policy("rail:x", 1, "\"A b\" { action = \"a\" }"), "rule id 'A b'"),
                Arguments.of("no action", policy("rail:x", 1, "a { places = [\"x\"] }"), "rules.a.action: missing"),
                Arguments.of("bad action", policy("rail:x", 1, "a { action = \"Grid Shed\" }"), "is not an action class"),
                Arguments.of("deny as string", policy("rail:x", 1, a + "deny = \"yes\" }"), "deny: must be true or false"),
                Arguments.of("number as string", policy("rail:x", 1, a + "parameters { mw { max = \"50\" } } }"),
                        "rules.a.parameters.mw.max: must be a number, found string"),
                Arguments.of("min above max", policy("rail:x", 1, a + "parameters { mw { min = 60, max = 50 } } }"),
                        "min (60.0) is above max (50.0)"),
                Arguments.of("empty envelope", policy("rail:x", 1, a + "parameters { mw {} } }"), "an envelope needs min, max or both"),
                Arguments.of("places not a list", policy("rail:x", 1, a + "places = \"x\" }"), "places: must be a list"),
                Arguments.of("duplicate place", policy("rail:x", 1, a + "places = [\"x\", \"x\"] }"), "lists an element twice"),
                Arguments.of("bad time", policy("rail:x", 1, a + "time-windows = [{ from = \"6am\", to = \"20:00\" }] }"),
                        "time-windows[0].from: '6am' is not a time of day"),
                Arguments.of("hour 25", policy("rail:x", 1, a + "time-windows = [{ from = \"06:00\", to = \"25:00\" }] }"),
                        "'25:00' is not a time of day"),
                Arguments.of("empty window", policy("rail:x", 1, a + "time-windows = [{ from = \"06:00\", to = \"06:00\" }] }"),
                        "from and to are equal"),
                Arguments.of("no windows", policy("rail:x", 1, a + "time-windows = [] }"), "list at least one window"),
                Arguments.of("bad zone", policy("rail:x", 1, a + "time-windows = [{ from = \"06:00\", to = \"07:00\", zone = \"Mars/Base\" }] }"),
                        "unknown time zone 'Mars/Base'"),
                Arguments.of("bad day", policy("rail:x", 1, a + "time-windows = [{ days = [FUNDAY], from = \"06:00\", to = \"07:00\" }] }"),
                        "'FUNDAY' is not a day"),
                Arguments.of("no days", policy("rail:x", 1, a + "time-windows = [{ days = [], from = \"06:00\", to = \"07:00\" }] }"),
                        "list at least one day"),
                Arguments.of("window not an object", policy("rail:x", 1, a + "time-windows = [\"06:00-07:00\"] }"),
                        "element 0 must be an object"),
                Arguments.of("zero rate", policy("rail:x", 1, a + "rate-limit { max = 0, per = 1m } }"), "write a deny rule"),
                Arguments.of("rate per without unit", policy("rail:x", 1, a + "rate-limit { max = 1, per = 60 } }"),
                        "per: must be a duration with a unit"),
                Arguments.of("rate per nonsense", policy("rail:x", 1, a + "rate-limit { max = 1, per = \"soon\" } }"),
                        "'soon' is not a duration"),
                Arguments.of("negative per", policy("rail:x", 1, a + "rate-limit { max = 1, per = \"-1m\" } }"), "must be positive"),
                Arguments.of("negative cap", policy("rail:x", 1, a + "resources { fuel = -1 } }"), "cannot be negative"),
                Arguments.of("approval word", policy("rail:x", 1, a + "approval = maybe }"), "'maybe' is not an approval"),
                Arguments.of("approval empty", policy("rail:x", 1, a + "approval {} }"), "exactly one of co-sign or quorum"),
                Arguments.of("approval both", policy("rail:x", 1, a + "approval { co-sign { approvers = " + dids(0, 1)
                        + ", timeout = 1m }, quorum { k = 1, approvers = " + dids(0, 1) + ", timeout = 1m } } }"),
                        "exactly one of co-sign or quorum"),
                Arguments.of("approver not a DID", policy("rail:x", 1, a + "approval { co-sign { approvers = [\"alice\"], timeout = 1m } } }"),
                        "'alice' is not a Nexus DID"),
                Arguments.of("approver twice", policy("rail:x", 1, a + "approval { co-sign { approvers = [\"" + did(0) + "\", \""
                        + did(0) + "\"], timeout = 1m } } }"), "lists an element twice"),
                Arguments.of("no approvers", policy("rail:x", 1, a + "approval { co-sign { approvers = [], timeout = 1m } } }"),
                        "name at least one approver"),
                Arguments.of("k above n", policy("rail:x", 1, a + "approval { quorum { k = 4, approvers = " + dids(0, 3)
                        + ", timeout = 1m } } }"), "needs 1 <= k <= 3"),
                Arguments.of("k zero", policy("rail:x", 1, a + "approval { quorum { k = 0, approvers = " + dids(0, 3)
                        + ", timeout = 1m } } }"), "needs 1 <= k <= 3"),
                Arguments.of("no timeout", policy("rail:x", 1, a + "approval { quorum { k = 1, approvers = " + dids(0, 3) + " } } }"),
                        "timeout: missing"),
                Arguments.of("decreasing ladder", policy("rail:x", 1, "a { action = \"a\" }")
                        + "monitors { denial-rate { warn = 0.5, throttle = 0.2 } }", "rungs must not decrease"),
                Arguments.of("negative rung", policy("rail:x", 1, "a { action = \"a\" }")
                        + "monitors { oscillation { warn = -1 } }", "cannot be negative"),
                Arguments.of("two allow rules for one action", policy("rail:x", 1,
                        "a { action = \"x.y\" }\nb { action = \"x.y\", places = [\"p\"] }"), "both allow 'x.y'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidValues")
    void invalidValuesAreRefused(String what, String text, String expected) {
        PolicyParseException e = assertThrows(PolicyParseException.class, () -> parse(text));
        assertTrue(e.getMessage().contains(expected), what + ": " + e.getMessage());
    }

    @Test
    void malformedHoconIsRefusedWithItsLine() {
        String text = "scope = \"rail:x\"\nversion = 1\nrules {\n  a { action = \"a\" \n";
        PolicyParseException e = assertThrows(PolicyParseException.class, () -> parse(text));
        assertTrue(e.getMessage().startsWith("not valid HOCON: line "), e.getMessage());
        PolicyParseException e2 = assertThrows(PolicyParseException.class, () -> parse("scope = = x"));
        assertTrue(e2.getMessage().contains("line 1"), e2.getMessage());
    }

    @Test
    void includeIsRefused() {
        for (String include : List.of("include \"application\"", "include file(\"/etc/passwd\")",
                "include url(\"http://127.0.0.1:1/p.conf\")", "include classpath(\"reference.conf\")")) {
            PolicyParseException e = assertThrows(PolicyParseException.class,
                    () -> parse(include + "\n" + PolicyTexts.simple("rail:x", 1)));
            assertTrue(e.getMessage().contains("include is not allowed"), e.getMessage());
        }
    }

    @Test
    void substitutionsNeverReadTheEnvironment() {
        PolicyParseException e = assertThrows(PolicyParseException.class,
                () -> parse(PolicyTexts.simple("rail:x", 1) + "description = ${PATH}"));
        assertTrue(e.getMessage().contains("PATH"), e.getMessage());
    }

    @Test
    void ladderKeepsRequireApproval() throws Exception {
        Policy p = parse(policy("rail:x", 1, "a { action = \"a\" }")
                + "monitors { oscillation { warn = 1, throttle = 2, require-approval = 3, kill = 4 } }");
        assertEquals(new Ladder(1, 2, 3, 4), p.monitors().oscillation());
    }

    @Test
    void scopesAreValidated() {
        assertTrue(Policy.isValidScope("rail:drought-watch"));
        assertTrue(Policy.isValidScope("pack:climate"));
        assertFalse(Policy.isValidScope("team:x"));
        assertFalse(Policy.isValidScope("rail:"));
        assertFalse(Policy.isValidScope("rail:../etc"));
        assertFalse(Policy.isValidScope(null));
        assertEquals("rail:a", Policy.railScope("a"));
        assertEquals("pack:b", Policy.packScope("b"));
    }
}
