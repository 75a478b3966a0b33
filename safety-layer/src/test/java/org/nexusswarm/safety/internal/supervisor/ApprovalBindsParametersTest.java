package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nexusswarm.safety.internal.supervisor.SupervisorHarness.types;

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
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.memory.chronotope.HashChain;
import org.nexusswarm.safety.internal.approval.ApprovalProof;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.internal.approval.IntentDigest;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionDenied;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ApprovalRequested;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ApprovalResolved;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Refused;
import org.nexusswarm.safety.internal.supervisor.SupervisorHarness.Running;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Act;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.LogicStarted;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Measured;

/**
 * Red team, issue 8 item 5: an approval binds the exact payload and the parameters read from it. The request's
 * digest covers both, approvers are shown both, and a decision does not authorise the intent once its parameters
 * read differently (here: the logic is redeployed reading another component as the policy parameter).
 */
@ExtendWith(LogCapturingExtension.class)
class ApprovalBindsParametersTest {

    private static final String SHED = "grid.shed-load";
    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.NODE, "grid-4");
    private static final List<SwarmKeyPair> APPROVER_KEYS = SafetyFixture.approverKeys(3);
    private static final List<String> APPROVERS = SafetyFixture.didsOf(APPROVER_KEYS);

    private static SupervisorHarness h;

    @BeforeAll
    static void start() {
        h = new SupervisorHarness("ApprovalBindsParametersTest");
    }

    @AfterAll
    static void stop() {
        h.shutdown();
    }

    @BeforeEach
    void reset() {
        h.reset();
        h.fixture.usePolicies(SafetyFixture.policy(21, "rules {\n"
                + "  shed { action = \"grid.shed-load\", approval { quorum { k = 2, approvers = ["
                + String.join(", ", APPROVERS.stream().map(d -> "\"" + d + "\"").toList())
                + "], timeout = 1m } } }\n}\n" + "monitors { envelope-drift { warn = 5 } }"));
    }

    private static ApprovalProof approved(ApprovalRequest.Open open) {
        return h.fixture.proof(open.approvalId(), open.summary(), true, "2 of 3", APPROVER_KEYS.subList(0, 2));
    }

    private static ApprovalRequest.Open propose(Running r, String intentId, double mw, double fuel) {
        h.propose(r, new Act(intentId, SHED, TARGET, "shed " + intentId, Map.of("mw", mw, "fuel", fuel)));
        return h.approvals.receiveMessage();
    }

    @Test
    void theRequestDigestCoversThePayloadAndItsParameters() {
        Running r = h.run(List.of(SHED));

        ApprovalRequest.Open open = propose(r, "d-1", 30.0, 2.0);

        ApprovalRequested requested = h.last(r, ApprovalRequested.class);
        byte[] payload = SafetyFixture.PAYLOADS.toBytes(new Measured("shed d-1", 30.0, 2.0));
        String digest = IntentDigest.of(payload, Map.of("mw", 30.0, "fuel", 2.0));
        assertEquals(digest, requested.chronotope().inputDigest());
        assertNotEquals(digest, IntentDigest.of(payload, Map.of("mw", 30.0)), "parameters are in the digest");
        assertNotEquals(HashChain.sha256Hex(payload), requested.chronotope().inputDigest());
        assertTrue(open.summary().contains("parameters {fuel=2.0, mw=30.0}"), open.summary());
        assertTrue(open.summary().contains("intent digest " + digest), open.summary());
    }

    @Test
    void aDecisionDoesNotAuthoriseTheIntentOnceItsParametersReadDifferently() {
        Running r = h.run(List.of(SHED));
        ApprovalRequest.Open open = propose(r, "d-2", 30.0, 2.0);

        // The same payload bytes, but the logic now declares only fuel as Measured's parameter.
        h.fixture.redeployReading(r.entity(), List.of("fuel"));
        r.kit().restart();
        r.entity().starts().expectMessageClass(LogicStarted.class);
        ApprovalRequest.Open reopened = h.approvals.receiveMessage();
        assertEquals(open.approvalId(), reopened.approvalId());
        assertNotEquals(open.summary(), reopened.summary(), "approvers would be shown the changed parameters");
        assertTrue(reopened.summary().contains("parameters {fuel=2.0}"), reopened.summary());

        // Votes for what the approvers saw no longer prove a decision for the changed intent.
        var stale = r.kit().runCommand(approved(open));
        assertEquals(List.of(Refused.class), types(stale.events()));
        assertEquals(RefusalCode.BAD_SIGNATURE, ((Refused) SupervisorHarness.decisions(stale.events()).get(0)).code());
        h.router.expectNoMessage();

        // Even votes on the re-opened text do not let it out: the journaled digest names the old parameters.
        var fresh = r.kit().runCommand(approved(reopened));
        assertEquals(List.of(ApprovalResolved.class, ActionDenied.class), types(fresh.events()));
        ActionDenied denied = (ActionDenied) SupervisorHarness.decisions(fresh.events()).get(1);
        assertEquals(RefusalCode.APPROVAL_MISMATCH, denied.code());
        h.router.expectNoMessage();
    }

    @Test
    void anUnchangedIntentIsStillAuthorised() {
        Running r = h.run(List.of(SHED));
        ApprovalRequest.Open open = propose(r, "d-3", 30.0, 2.0);

        r.kit().runCommand(approved(open));

        assertEquals(new Measured("shed d-3", 30.0, 2.0),
                SafetyFixture.message(h.router.receiveMessage().envelope()));
    }
}
