package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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
import org.nexusswarm.safety.api.credential.Credential;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionAllowed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionDenied;
import org.nexusswarm.safety.internal.supervisor.SupervisorHarness.Running;

/**
 * The credential's limits, checked by the supervisor on every intent (under a permissive policy, so the
 * credential alone decides): revocation of a running entity, the validity window, places, value caps and the
 * credential's own rate limit.
 */
@ExtendWith(LogCapturingExtension.class)
class CredentialRulesTest {

    private static final String COMPUTE = "compute.request";
    private static final String SHED = "grid.shed-load";
    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.NODE, "grid-2");

    private static SupervisorHarness h;

    @BeforeAll
    static void start() {
        h = new SupervisorHarness("CredentialRulesTest");
    }

    @AfterAll
    static void stop() {
        h.shutdown();
    }

    @BeforeEach
    void reset() {
        h.reset();
        // Keep the envelope-drift monitor out of the value-cap tests.
        h.fixture.usePolicies(SafetyFixture.policy(1, "rules { anything { action = \"*\" } }\n"
                + "monitors { envelope-drift { warn = 5 } }"));
    }

    private static ActionDenied assertDenied(Running r, AgentInput.Outcome outcome, RefusalCode code,
            String detailPart) {
        assertFalse(outcome.allowed(), outcome.reason());
        ActionDenied denied = h.last(r, ActionDenied.class);
        assertEquals(code, denied.code(), denied.detail());
        assertTrue(denied.detail().contains(detailPart), denied.detail());
        assertEquals(code + ": " + denied.detail(), outcome.reason());
        h.router.expectNoMessage();
        return denied;
    }

    private static void assertAllowed(Running r, AgentInput.Outcome outcome) {
        assertTrue(outcome.allowed(), outcome.reason());
        assertEquals(outcome.intentId(), h.last(r, ActionAllowed.class).intentId());
        h.router.receiveMessage();
    }

    @Test
    void aRevokedCredentialDeniesTheNextIntentOfARunningEntity() {
        Running r = h.run(List.of(COMPUTE));
        assertAllowed(r, h.act(r, "c-1", COMPUTE, TARGET));
        String id = r.entity().credential().id();

        h.fixture.registry.services().useRevocations(revoked -> revoked.equals(id));

        assertDenied(r, h.act(r, "c-2", COMPUTE, TARGET), RefusalCode.REVOKED, "credential " + id + " was revoked");
        assertEquals(1, r.kit().getState().denials());
    }

    @Test
    void aCredentialNotYetValidAtStartIsUsableOnceItsWindowOpens() {
        // Far enough ahead that the first intent is surely decided before, even on a slow machine.
        long notBefore = System.currentTimeMillis() + 2_000;
        Running r = h.run(h.fixture.deploy("early", keys -> Credential.issue(h.fixture.issuer, "early-cred",
                keys.did(), List.of(COMPUTE), notBefore, notBefore + 3_600_000)));

        assertDenied(r, h.act(r, "v-1", COMPUTE, TARGET), RefusalCode.NOT_YET_VALID, "is not valid before");

        h.router.awaitAssert(Duration.ofSeconds(5), () -> {
            assertTrue(System.currentTimeMillis() > notBefore, "the validity window opened");
            return null;
        });
        assertAllowed(r, h.act(r, "v-2", COMPUTE, TARGET));
    }

    @Test
    void aPlaceOutsideTheCredentialIsNotInCredential() {
        Running r = h.run(h.fixture.deploy("sahel", keys -> h.fixture.credential(keys, List.of(COMPUTE),
                List.of("sahel-*"), Credential.Limits.UNLIMITED)));

        assertDenied(r, h.act(r, "p-1", COMPUTE, TARGET), RefusalCode.NOT_IN_CREDENTIAL,
                "place " + SafetyFixture.PLACE + " is not in credential");
    }

    @Test
    void aPlaceMatchingTheCredentialsPatternIsAllowed() {
        Running r = h.run(h.fixture.deploy("cells", keys -> h.fixture.credential(keys, List.of(COMPUTE),
                List.of("sahel-*", "cell-*"), Credential.Limits.UNLIMITED)));

        assertAllowed(r, h.act(r, "p-2", COMPUTE, TARGET));
    }

    @Test
    void aValueOverTheCredentialsCapIsNotInCredential() {
        Running r = h.run(h.fixture.deploy("capped", keys -> h.fixture.credential(keys, List.of(SHED),
                List.of(Credential.ANYWHERE), Credential.Limits.UNLIMITED.withCap("mw", 40.0))));

        assertDenied(r, h.act(r, "cap-41", SHED, TARGET, Map.of("mw", 41.0)), RefusalCode.NOT_IN_CREDENTIAL,
                "parameter 'mw' = 41.0 exceeds its cap 40.0");
        assertAllowed(r, h.act(r, "cap-40", SHED, TARGET, Map.of("mw", 40.0)));
    }

    @Test
    void fuelOverTheCredentialsBudgetIsNotInCredential() {
        Running r = h.run(h.fixture.deploy("fuelled", keys -> h.fixture.credential(keys, List.of(SHED),
                List.of(Credential.ANYWHERE), Credential.Limits.UNLIMITED.withFuelBudget(1000))));

        assertDenied(r, h.act(r, "fuel-1001", SHED, TARGET, Map.of("fuel", 1001.0)), RefusalCode.NOT_IN_CREDENTIAL,
                "exceeds the budget of 1000");
        assertAllowed(r, h.act(r, "fuel-1000", SHED, TARGET, Map.of("fuel", 1000.0)));
    }

    @Test
    void theIntentAfterTheCredentialsRatePerMinuteIsRateLimited() {
        Running r = h.run(h.fixture.deploy("limited", keys -> h.fixture.credential(keys, List.of(COMPUTE),
                List.of(Credential.ANYWHERE), Credential.Limits.UNLIMITED.withRatePerMinute(2))));

        assertAllowed(r, h.act(r, "rate-1", COMPUTE, TARGET));
        assertAllowed(r, h.act(r, "rate-2", COMPUTE, TARGET));
        String id = r.entity().credential().id();
        assertDenied(r, h.act(r, "rate-3", COMPUTE, TARGET), RefusalCode.RATE_LIMITED,
                "credential " + id + " allows 2 'compute.request' per minute");
    }
}
