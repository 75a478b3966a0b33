package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionAllowed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionDenied;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionProposed;
import org.nexusswarm.safety.internal.supervisor.SupervisorHarness.Running;

/**
 * Every kind of policy rule, enforced by the supervisor on its logic's intents: each test installs its own policy
 * for the rail of the test entities ({@code rail:none}) and checks the journaled decision — code, rule and the
 * policy version it was made under — what the logic is told, and that nothing is routed when it is denied.
 */
@ExtendWith(LogCapturingExtension.class)
class PolicyRulesTest {

    private static final String COMPUTE = "compute.request";
    private static final String ALERT = "alert.raise";
    private static final String SHED = "grid.shed-load";
    private static final String FUNDS = "funds.transfer";
    private static final List<String> CREDENTIAL = List.of(COMPUTE, ALERT, SHED, FUNDS, "fuel.burn");
    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.NODE, "grid-1");
    /** Envelope drift would escalate near an envelope's edge; these tests look at the envelope alone. */
    private static final String QUIET_DRIFT = "monitors { envelope-drift { warn = 5 } }";

    private static SupervisorHarness h;

    @BeforeAll
    static void start() {
        h = new SupervisorHarness("PolicyRulesTest");
    }

    @AfterAll
    static void stop() {
        h.shutdown();
    }

    @BeforeEach
    void reset() {
        h.reset();
    }

    private static Running entity() {
        return h.run(CREDENTIAL);
    }

    /** Asserts the intent was denied with {@code code} under {@code version}, and returns the journaled denial. */
    private static ActionDenied assertDenied(Running r, AgentInput.Outcome outcome, RefusalCode code,
            String version) {
        assertFalse(outcome.allowed(), outcome.reason());
        assertTrue(outcome.reason().startsWith(code + ": "), outcome.reason());
        ActionDenied denied = h.last(r, ActionDenied.class);
        assertEquals(outcome.intentId(), denied.intentId());
        assertEquals(code, denied.code(), denied.detail());
        assertEquals(version, denied.policyVersion());
        h.router.expectNoMessage();
        return denied;
    }

    /** Asserts the intent was allowed by {@code rule} under {@code version} and routed to its target. */
    private static ActionAllowed assertAllowed(Running r, AgentInput.Outcome outcome, String rule,
            String version) {
        assertTrue(outcome.allowed(), outcome.reason());
        assertEquals(rule, outcome.reason());
        ActionAllowed allowed = h.last(r, ActionAllowed.class);
        assertEquals(outcome.intentId(), allowed.intentId());
        assertEquals(rule, allowed.rule());
        assertEquals(version, allowed.policyVersion());
        assertEquals(TARGET.toString(), h.router.receiveMessage().envelope().recipient());
        return allowed;
    }

    @Test
    void withoutAnyPolicyEveryIntentIsDeniedPolicyMissing() {
        h.fixture.usePolicies();
        Running r = entity();

        var outcome = h.act(r, "p-1", COMPUTE, TARGET);

        ActionDenied denied = assertDenied(r, outcome, RefusalCode.POLICY_MISSING, "none");
        assertTrue(denied.detail().contains("no policy is loaded"), denied.detail());
    }

    @Test
    void anActionNoRuleMentionsIsDeniedNoRule() {
        h.fixture.usePolicies(SafetyFixture.policy(2, "rules { compute { action = \"compute.request\" } }"));
        Running r = entity();

        assertDenied(r, h.act(r, "n-1", ALERT, TARGET), RefusalCode.NO_RULE, "rail:none@2");
        assertAllowed(r, h.act(r, "n-2", COMPUTE, TARGET), "rail:none/compute", "rail:none@2");
    }

    @Test
    void aParameterOutsideItsEnvelopeIsDeniedAndTheEdgeIsAllowed() {
        h.fixture.usePolicies(SafetyFixture.policy(3, "rules { shed { action = \"grid.shed-load\", "
                + "parameters { mw { min = 0, max = 50 } } } }\n" + QUIET_DRIFT));
        Running r = entity();

        ActionDenied over = assertDenied(r, h.act(r, "e-51", SHED, TARGET, Map.of("mw", 51.0)),
                RefusalCode.OUT_OF_ENVELOPE, "rail:none@3");
        assertTrue(over.detail().contains("mw = 51 is outside the envelope 0..50"), over.detail());
        assertEquals(1.02, over.envelopeUse(), 1e-9, "how far past the edge it went");

        ActionAllowed edge = assertAllowed(r, h.act(r, "e-50", SHED, TARGET, Map.of("mw", 50.0)), "rail:none/shed",
                "rail:none@3");
        assertEquals(1.0, edge.envelopeUse(), 1e-9);
        ActionProposed proposed = h.eventsOf(r, ActionProposed.class).get(1);
        assertEquals(Map.of("mw", 50.0), proposed.parameters(), "the proposal journals the parameters");

        ActionDenied missing = assertDenied(r, h.act(r, "e-none", SHED, TARGET), RefusalCode.OUT_OF_ENVELOPE,
                "rail:none@3");
        assertTrue(missing.detail().contains("does not carry it"), missing.detail());
    }

    @Test
    void aParameterBelowItsEnvelopeIsDeniedWithoutUpsettingTheMonitors() {
        h.fixture.usePolicies(SafetyFixture.policy(3, "rules { shed { action = \"grid.shed-load\", "
                + "parameters { mw { min = 0, max = 50 } } } }"));
        Running r = entity();

        ActionDenied below = assertDenied(r, h.act(r, "e-neg", SHED, TARGET, Map.of("mw", -5.0)),
                RefusalCode.OUT_OF_ENVELOPE, "rail:none@3");

        assertTrue(below.envelopeUse() >= 0, "envelope use is a fraction >= 0: " + below.envelopeUse());
        assertInstanceOf(SupervisorState.Active.class, r.kit().getState());
        assertEquals(1, r.kit().getState().denials());
        r.entity().starts().expectNoMessage(); // the supervisor did not crash and restart its logic
        assertAllowed(r, h.act(r, "e-ok", SHED, TARGET, Map.of("mw", 10.0)), "rail:none/shed", "rail:none@3");
    }

    @Test
    void aResourceOverItsCapIsDeniedResourceCap() {
        h.fixture.usePolicies(SafetyFixture.policy(4, "rules { burn { action = \"fuel.burn\", "
                + "resources { fuel = 100 } } }\n" + QUIET_DRIFT));
        Running r = entity();

        assertDenied(r, h.act(r, "f-101", "fuel.burn", TARGET, Map.of("fuel", 101.0)), RefusalCode.RESOURCE_CAP,
                "rail:none@4");
        assertAllowed(r, h.act(r, "f-100", "fuel.burn", TARGET, Map.of("fuel", 100.0)), "rail:none/burn",
                "rail:none@4");
    }

    @Test
    void anActionFromAPlaceTheRuleDoesNotListIsDeniedWrongPlace() {
        h.fixture.usePolicies(SafetyFixture.policy(5, "rules { compute { action = \"compute.request\", "
                + "places = [\"sahel-*\"] } }"));
        Running r = entity();

        ActionDenied denied = assertDenied(r, h.act(r, "w-1", COMPUTE, TARGET), RefusalCode.WRONG_PLACE,
                "rail:none@5");
        assertTrue(denied.detail().contains("place '" + SafetyFixture.PLACE + "'"), denied.detail());

        // The operator widens the places: the next decision is made (and journaled) under the new version.
        h.fixture.usePolicies(SafetyFixture.policy(6, "rules { compute { action = \"compute.request\", "
                + "places = [\"sahel-*\", \"cell-*\"] } }"));
        assertAllowed(r, h.act(r, "w-2", COMPUTE, TARGET), "rail:none/compute", "rail:none@6");
    }

    @Test
    void anActionOutsideEveryTimeWindowIsDeniedOutsideTimeWindow() {
        // A whole day, but one that is neither today nor yesterday (windows belong to the day they start on).
        DayOfWeek otherDay = LocalDate.now(ZoneOffset.UTC).getDayOfWeek().plus(3);
        h.fixture.usePolicies(SafetyFixture.policy(7, "rules { compute { action = \"compute.request\", "
                + "time-windows = [ { days = [" + otherDay.name().substring(0, 3) + "], from = \"00:00\", "
                + "to = \"24:00\", zone = \"UTC\" } ] } }"));
        Running r = entity();

        assertDenied(r, h.act(r, "t-1", COMPUTE, TARGET), RefusalCode.OUTSIDE_TIME_WINDOW, "rail:none@7");

        h.fixture.usePolicies(SafetyFixture.policy(8, "rules { compute { action = \"compute.request\", "
                + "time-windows = [ { from = \"00:00\", to = \"24:00\", zone = \"UTC\" } ] } }"));
        assertAllowed(r, h.act(r, "t-2", COMPUTE, TARGET), "rail:none/compute", "rail:none@8");
    }

    @Test
    void theActionAfterTheRateLimitIsDeniedRateLimited() {
        h.fixture.usePolicies(SafetyFixture.policy(9, "rules {\n"
                + "  compute { action = \"compute.request\", rate-limit { max = 3, per = 1m } }\n"
                + "  others { action = \"*\" }\n}"));
        Running r = entity();

        for (int i = 1; i <= 3; i++) {
            assertAllowed(r, h.act(r, "r-" + i, COMPUTE, TARGET), "rail:none/compute", "rail:none@9");
        }
        ActionDenied denied = assertDenied(r, h.act(r, "r-4", COMPUTE, TARGET), RefusalCode.RATE_LIMITED,
                "rail:none@9");
        assertTrue(denied.detail().startsWith("3 'compute.request' actions already in the last 1m"), denied.detail());
        // The limit counts this action class only.
        assertAllowed(r, h.act(r, "r-alert", ALERT, TARGET), "rail:none/others", "rail:none@9");
    }

    @Test
    void anHourlyRateLimitIsCountedNotFailedClosed() {
        // The policy format's own example: a window longer than the monitors' default retention.
        h.fixture.usePolicies(SafetyFixture.policy(10, "rules { compute { action = \"compute.request\", "
                + "rate-limit { max = 2, per = 1h } } }"));
        Running r = entity();

        assertAllowed(r, h.act(r, "h-1", COMPUTE, TARGET), "rail:none/compute", "rail:none@10");
        assertAllowed(r, h.act(r, "h-2", COMPUTE, TARGET), "rail:none/compute", "rail:none@10");
        ActionDenied denied = assertDenied(r, h.act(r, "h-3", COMPUTE, TARGET), RefusalCode.RATE_LIMITED,
                "rail:none@10");
        assertTrue(denied.detail().startsWith("2 'compute.request' actions already in the last 1h"), denied.detail());
    }

    @Test
    void anExplicitDenyRuleBeatsARuleThatAllows() {
        h.fixture.usePolicies(SafetyFixture.policy(11, "rules {\n  anything { action = \"*\" }\n"
                + "  no-funds { action = \"funds.*\", deny = true }\n}"));
        Running r = entity();

        ActionDenied denied = assertDenied(r, h.act(r, "d-1", FUNDS, TARGET), RefusalCode.NO_RULE, "rail:none@11");
        assertTrue(denied.detail().contains("forbidden outright by deny rule rail:none/no-funds"), denied.detail());
        assertAllowed(r, h.act(r, "d-2", COMPUTE, TARGET), "rail:none/anything", "rail:none@11");
    }

    @Test
    void aDenyInThePackPolicyBeatsTheRailPolicyAndBothVersionsAreJournaled() {
        Policy rail = SafetyFixture.policy(12, "rules { anything { action = \"*\" } }");
        Policy pack = SafetyFixture.parse("scope = \"pack:none\"\nversion = 3\nrules {\n  anything { action = \"*\" }\n"
                + "  no-funds { action = \"funds.*\", deny = true }\n}\n");
        h.fixture.usePolicies(pack, rail);
        Running r = entity();

        assertDenied(r, h.act(r, "m-1", FUNDS, TARGET), RefusalCode.NO_RULE, "rail:none@12,pack:none@3");
        assertAllowed(r, h.act(r, "m-2", COMPUTE, TARGET), "rail:none/anything,pack:none/anything",
                "rail:none@12,pack:none@3");
    }
}
