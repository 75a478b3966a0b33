package org.nexusswarm.safety.internal.policy;

import org.nexusswarm.safety.api.policy.ActionRequest;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.policy.PolicyDecision;
import org.nexusswarm.safety.api.policy.RateView;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nexusswarm.safety.api.policy.PolicyTexts.dids;
import static org.nexusswarm.safety.api.policy.PolicyTexts.parsed;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.policy.PolicyDecision.Allow;
import org.nexusswarm.safety.api.policy.PolicyDecision.Deny;
import org.nexusswarm.safety.api.policy.PolicyDecision.NeedsApproval;

/** Decisions of the policy engine: each constraint, fail-closed cases, conflicts between policies. */
class PolicyEngineTest {

    /** A Wednesday, 10:00 UTC (11:00 in Berlin). */
    private static final Instant WEDNESDAY_10_UTC = Instant.parse("2026-03-04T10:00:00Z");

    private static final Policy GRID = parsed("rail:energy-grid", 3, """
            shed-load {
              action = "grid.shed-load"
              places = ["de-north/*"]
              parameters { mw { min = 0, max = 50 } }
              time-windows = [{ days = [MON, TUE, WED, THU, FRI], from = "06:00", to = "22:00", zone = "Europe/Berlin" }]
              rate-limit { max = 5, per = 1h }
              approval { quorum { k = 3, approvers = %s, timeout = 5m } }
            }
            read { action = "grid.read" }
            compute { action = "compute.request", resources { fuel = 1000 } }
            """.formatted(dids(0, 6)));

    private static final Policy ENERGY_PACK = parsed("pack:energy", 1, """
            any { action = "*" }
            """);

    private static ActionRequest request(String action, String place, Map<String, Double> parameters, Instant at) {
        return new ActionRequest(action, "node:grid.node-0", place, parameters, at);
    }

    private static ActionRequest shed(double mw) {
        return request("grid.shed-load", "de-north/substation-1", Map.of("mw", mw), WEDNESDAY_10_UTC);
    }

    private static Deny deny(PolicyDecision d, RefusalCode code) {
        Deny deny = assertInstanceOf(Deny.class, d);
        assertEquals(code, deny.code(), deny.detail());
        return deny;
    }

    @Test
    void allowedActionNamesItsPoliciesAndRules() {
        PolicyDecision d = PolicyEngine.evaluate(List.of(ENERGY_PACK, GRID),
                request("grid.read", null, Map.of(), WEDNESDAY_10_UTC), RateView.NONE);
        Allow allow = assertInstanceOf(Allow.class, d);
        assertEquals("rail:energy-grid@3,pack:energy@1", allow.policyVersions(), "rail first, whatever the input order");
        assertEquals("rail:energy-grid/read,pack:energy/any", allow.ruleId());
    }

    @Test
    void withinEveryConstraintAQuorumIsNeeded() {
        NeedsApproval n = assertInstanceOf(NeedsApproval.class, PolicyEngine.evaluate(List.of(GRID), shed(50), RateView.NONE));
        assertEquals(ApprovalRequirement.Kind.QUORUM, n.requirement().kind());
        assertEquals(3, n.requirement().k());
        assertEquals(6, n.requirement().approvers().size());
        assertEquals("rail:energy-grid/shed-load", n.ruleId());
        assertEquals("rail:energy-grid@3", n.policyVersions());
    }

    @Test
    void outOfEnvelope() {
        Deny d = deny(PolicyEngine.evaluate(List.of(GRID), shed(51), RateView.NONE), RefusalCode.OUT_OF_ENVELOPE);
        assertTrue(d.detail().contains("mw = 51 is outside the envelope 0..50"), d.detail());
        assertEquals("rail:energy-grid/shed-load", d.ruleId());
        assertEquals("rail:energy-grid@3", d.policyVersions());
        deny(PolicyEngine.evaluate(List.of(GRID), shed(-1), RateView.NONE), RefusalCode.OUT_OF_ENVELOPE);
        deny(PolicyEngine.evaluate(List.of(GRID), shed(Double.NaN), RateView.NONE), RefusalCode.OUT_OF_ENVELOPE);
        deny(PolicyEngine.evaluate(List.of(GRID), shed(Double.POSITIVE_INFINITY), RateView.NONE), RefusalCode.OUT_OF_ENVELOPE);
    }

    @Test
    void aBoundedParameterThatIsMissingIsOutOfEnvelope() {
        Deny d = deny(PolicyEngine.evaluate(List.of(GRID), request("grid.shed-load", "de-north/s", Map.of(),
                WEDNESDAY_10_UTC), RateView.NONE), RefusalCode.OUT_OF_ENVELOPE);
        assertTrue(d.detail().contains("does not carry it"), d.detail());
    }

    @Test
    void wrongPlace() {
        Deny d = deny(PolicyEngine.evaluate(List.of(GRID), request("grid.shed-load", "fr-east/substation-1",
                Map.of("mw", 10.0), WEDNESDAY_10_UTC), RateView.NONE), RefusalCode.WRONG_PLACE);
        assertTrue(d.detail().contains("fr-east/substation-1"), d.detail());
        deny(PolicyEngine.evaluate(List.of(GRID), request("grid.shed-load", null, Map.of("mw", 10.0),
                WEDNESDAY_10_UTC), RateView.NONE), RefusalCode.WRONG_PLACE);
    }

    @Test
    void outsideTimeWindow() {
        // Saturday, and Wednesday 22:30 in Berlin (21:30 UTC) are both outside MON-FRI 06:00-22:00.
        for (Instant at : List.of(Instant.parse("2026-03-07T10:00:00Z"), Instant.parse("2026-03-04T21:30:00Z"))) {
            deny(PolicyEngine.evaluate(List.of(GRID), request("grid.shed-load", "de-north/s", Map.of("mw", 10.0), at),
                    RateView.NONE), RefusalCode.OUTSIDE_TIME_WINDOW);
        }
        // 05:30 UTC is 06:30 in Berlin: inside.
        assertInstanceOf(NeedsApproval.class, PolicyEngine.evaluate(List.of(GRID), request("grid.shed-load",
                "de-north/s", Map.of("mw", 10.0), Instant.parse("2026-03-04T05:30:00Z")), RateView.NONE));
    }

    @Test
    void windowsPastMidnightBelongToTheirStartDay() {
        Policy night = parsed("rail:night", 1, """
                a { action = "a", time-windows = [{ days = [FRI], from = "22:00", to = "06:00" }] }
                """);
        ActionRequest saturdayEarly = request("a", null, Map.of(), Instant.parse("2026-03-07T05:00:00Z"));
        ActionRequest fridayLate = request("a", null, Map.of(), Instant.parse("2026-03-06T23:00:00Z"));
        ActionRequest fridayEarly = request("a", null, Map.of(), Instant.parse("2026-03-06T05:00:00Z"));
        assertInstanceOf(Allow.class, PolicyEngine.evaluate(List.of(night), saturdayEarly, RateView.NONE));
        assertInstanceOf(Allow.class, PolicyEngine.evaluate(List.of(night), fridayLate, RateView.NONE));
        deny(PolicyEngine.evaluate(List.of(night), fridayEarly, RateView.NONE), RefusalCode.OUTSIDE_TIME_WINDOW);
    }

    @Test
    void overTheRateLimit() {
        RateView five = (action, window) -> {
            assertEquals("grid.shed-load", action);
            assertEquals(Duration.ofHours(1), window);
            return 5;
        };
        Deny d = deny(PolicyEngine.evaluate(List.of(GRID), shed(10), five), RefusalCode.RATE_LIMITED);
        assertTrue(d.detail().contains("5 'grid.shed-load' actions already in the last 1h"), d.detail());
        assertInstanceOf(NeedsApproval.class, PolicyEngine.evaluate(List.of(GRID), shed(10), (a, w) -> 4));
    }

    @Test
    void aRateViewThatFailsDenies() {
        deny(PolicyEngine.evaluate(List.of(GRID), shed(10), (a, w) -> {
            throw new IllegalStateException("state unavailable");
        }), RefusalCode.RATE_LIMITED);
    }

    @Test
    void resourceCap() {
        ActionRequest over = request("compute.request", null, Map.of("fuel", 1001.0), WEDNESDAY_10_UTC);
        Deny d = deny(PolicyEngine.evaluate(List.of(GRID), over, RateView.NONE), RefusalCode.RESOURCE_CAP);
        assertTrue(d.detail().contains("fuel = 1001 exceeds the cap 1000"), d.detail());
        deny(PolicyEngine.evaluate(List.of(GRID), request("compute.request", null, Map.of(), WEDNESDAY_10_UTC),
                RateView.NONE), RefusalCode.RESOURCE_CAP);
        assertInstanceOf(Allow.class, PolicyEngine.evaluate(List.of(GRID),
                request("compute.request", null, Map.of("fuel", 1000.0), WEDNESDAY_10_UTC), RateView.NONE));
    }

    @Test
    void anActionNoRuleMentionsIsDenied() {
        Deny d = deny(PolicyEngine.evaluate(List.of(GRID), request("funds.transfer", null, Map.of(), WEDNESDAY_10_UTC),
                RateView.NONE), RefusalCode.NO_RULE);
        assertTrue(d.detail().contains("rail:energy-grid@3 has no rule for 'funds.transfer'"), d.detail());
        assertEquals("rail:energy-grid@3", d.policyVersions());
    }

    @Test
    void everyApplicablePolicyMustHaveARule() {
        Policy narrowPack = parsed("pack:energy", 2, "read { action = \"grid.read\" }");
        deny(PolicyEngine.evaluate(List.of(GRID, narrowPack), request("compute.request", null, Map.of("fuel", 1.0),
                WEDNESDAY_10_UTC), RateView.NONE), RefusalCode.NO_RULE);
    }

    @Test
    void noPolicyLoadedFailsClosed() {
        for (List<Policy> none : java.util.Arrays.asList(List.<Policy>of(), null)) {
            Deny d = deny(PolicyEngine.evaluate(none, shed(1), RateView.NONE), RefusalCode.POLICY_MISSING);
            assertEquals("none", d.policyVersions());
            assertEquals("", d.ruleId());
        }
    }

    @Test
    void explicitDenyInAnotherPolicyWinsOverAllow() {
        Policy pack = parsed("pack:energy", 4, """
                any { action = "*" }
                no-shedding { action = "grid.shed-*", deny = true }
                """);
        Deny d = deny(PolicyEngine.evaluate(List.of(GRID, pack), shed(10), RateView.NONE), RefusalCode.NO_RULE);
        assertTrue(d.detail().contains("forbidden outright by deny rule pack:energy/no-shedding"), d.detail());
        assertEquals("pack:energy/no-shedding", d.ruleId());
        assertEquals("rail:energy-grid@3,pack:energy@4", d.policyVersions());
    }

    @Test
    void explicitDenyWinsWithinAPolicyOverAMoreSpecificAllow() {
        Policy p = parsed("rail:x", 1, """
                exact { action = "grid.shed-load" }
                no-grid { action = "grid.*", deny = true }
                """);
        deny(PolicyEngine.evaluate(List.of(p), shed(1), RateView.NONE), RefusalCode.NO_RULE);
    }

    @Test
    void theExplicitDenyIsReportedBeforeLesserViolations() {
        Policy pack = parsed("pack:energy", 4, "no-shedding { action = \"grid.shed-load\", deny = true }");
        Deny d = deny(PolicyEngine.evaluate(List.of(GRID, pack), shed(99), RateView.NONE), RefusalCode.NO_RULE);
        assertTrue(d.detail().contains("(and 1 more: OUT_OF_ENVELOPE)"), d.detail());
    }

    @Test
    void theMostSpecificRuleApplies() {
        Policy p = parsed("rail:x", 1, """
                all-grid { action = "grid.*", parameters { mw { max = 10 } } }
                shed { action = "grid.shed-*", parameters { mw { max = 50 } } }
                """);
        assertInstanceOf(Allow.class, PolicyEngine.evaluate(List.of(p), shed(40), RateView.NONE));
        Allow a = assertInstanceOf(Allow.class, PolicyEngine.evaluate(List.of(p), shed(40), RateView.NONE));
        assertEquals("rail:x/shed", a.ruleId());
        deny(PolicyEngine.evaluate(List.of(p), request("grid.boost", null, Map.of("mw", 40.0), WEDNESDAY_10_UTC),
                RateView.NONE), RefusalCode.OUT_OF_ENVELOPE);
    }

    @Test
    void theStrictestApprovalWins() {
        Policy coSign = parsed("pack:energy", 1, """
                shed { action = "grid.shed-load", approval { co-sign { approvers = %s, timeout = 10m } } }
                """.formatted(dids(0, 2)));
        NeedsApproval n = assertInstanceOf(NeedsApproval.class,
                PolicyEngine.evaluate(List.of(coSign, GRID), shed(10), RateView.NONE));
        assertEquals(3, n.requirement().k(), "3-of-6 quorum beats a co-signature");
        assertEquals("rail:energy-grid/shed-load", n.ruleId());

        NeedsApproval alone = assertInstanceOf(NeedsApproval.class,
                PolicyEngine.evaluate(List.of(coSign), shed(10), RateView.NONE));
        assertEquals(ApprovalRequirement.Kind.CO_SIGN, alone.requirement().kind());
        assertEquals(1, alone.requirement().k());
        assertEquals("pack:energy/shed", alone.ruleId());

        Policy quorum2 = parsed("rail:b", 1, """
                shed { action = "grid.shed-load", approval { quorum { k = 2, approvers = %s, timeout = 1m } } }
                """.formatted(dids(0, 3)));
        Policy coSign2 = parsed("rail:a", 1, """
                shed { action = "grid.shed-load", approval { quorum { k = 1, approvers = %s, timeout = 1m } } }
                """.formatted(dids(3, 4)));
        NeedsApproval two = assertInstanceOf(NeedsApproval.class,
                PolicyEngine.evaluate(List.of(coSign2, quorum2), shed(10), RateView.NONE));
        assertEquals(2, two.requirement().k());
    }

    @Test
    void versionTextIsStable() {
        Policy drought = parsed("rail:drought-watch", 3, "a { action = \"*\" }");
        Policy climate = parsed("pack:climate", 1, "a { action = \"*\" }");
        assertEquals("rail:drought-watch@3,pack:climate@1", PolicyEngine.versions(List.of(climate, drought)));
        assertEquals("rail:drought-watch@3,pack:climate@1", PolicyEngine.versions(List.of(drought, climate)));
        assertEquals("none", PolicyEngine.versions(List.of()));
    }

    @Test
    void envelopeUseMeasuresHowCloseToTheEdge() {
        Map<String, Double> use = PolicyEngine.envelopeUse(List.of(GRID), shed(45));
        assertEquals(0.9, use.get("mw"), 1e-9);
        assertEquals(1.02, PolicyEngine.envelopeUse(List.of(GRID), shed(51)).get("mw"), 1e-9);
        Map<String, Double> fuel = PolicyEngine.envelopeUse(List.of(GRID),
                request("compute.request", null, Map.of("fuel", 250.0), WEDNESDAY_10_UTC));
        assertEquals(Map.of("fuel", 0.25), fuel);
        assertTrue(PolicyEngine.envelopeUse(List.of(GRID), request("grid.read", null, Map.of("mw", 1.0),
                WEDNESDAY_10_UTC)).isEmpty());
        assertTrue(PolicyEngine.envelopeUse(List.of(), shed(1)).isEmpty());
    }

    @Test
    void badRequestsAreRefusedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new ActionRequest(" ", "t", "p", Map.of(), WEDNESDAY_10_UTC));
        assertThrows(IllegalArgumentException.class, () -> new ActionRequest(null, "t", "p", Map.of(), WEDNESDAY_10_UTC));
        assertThrows(NullPointerException.class, () -> new ActionRequest("a", "t", "p", Map.of(), null));
        assertEquals(Map.of(), new ActionRequest("a", "t", "p", null, WEDNESDAY_10_UTC).parameters());
        assertThrows(NullPointerException.class, () -> PolicyEngine.evaluate(List.of(GRID), shed(1), null));
    }

    @Test
    void globs() {
        assertTrue(Glob.matches("grid.*", "grid.shed-load"));
        assertTrue(Glob.matches("*", "anything.at/all"));
        assertTrue(Glob.matches("de-south/substation-?", "de-south/substation-7"));
        assertFalse(Glob.matches("de-south/substation-?", "de-south/substation-17"));
        assertTrue(Glob.matches("a*b*c", "axxbyyc"));
        assertFalse(Glob.matches("a*b*c", "axxbyy"));
        assertFalse(Glob.matches("grid.*", "gridx.shed"));
        assertFalse(Glob.matches(null, "x"));
        assertTrue(Glob.specificity("grid.shed-load") > Glob.specificity("grid.shed-*"));
        assertTrue(Glob.specificity("grid.shed-*") > Glob.specificity("grid.*"));
        assertTrue(Glob.specificity("grid.*") > Glob.specificity("*"));
    }
}
