package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.Kill;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.protocol.RequestRelease;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorTokens;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Refused;
import org.nexusswarm.safety.internal.supervisor.SupervisorHarness.Running;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kill and RequestRelease arrive through sharding, so any cluster member can send them: only those that carry a
 * signed operator command naming this entity are obeyed; every other one is refused and journaled, and the entity
 * keeps running (or stays quarantined with no release opened).
 */
@ExtendWith(LogCapturingExtension.class)
class ForgedOperatorCommandTest {

    private static final String COMPUTE = "compute.request";
    private static SupervisorHarness h;

    @BeforeAll
    static void start() {
        h = new SupervisorHarness("ForgedOperatorCommandTest");
    }

    @AfterAll
    static void stop() {
        h.shutdown();
    }

    @BeforeEach
    void reset() {
        h.reset();
    }

    private static Map<String, Object> killOf(Running r) {
        return OperatorTokens.body("scope", "ENTITY", "name", r.address().toString(), "reason", "forged");
    }

    private static void assertRefusedAndStillRunning(Running r, Kill kill, RefusalCode code) {
        var result = r.kit().<EntityStatus>runCommand(replyTo -> new Kill(kill.operatorToken(), replyTo));
        assertFalse(result.reply().quarantined(), "a forged kill does not stop the entity");
        Refused refused = assertInstanceOf(Refused.class, SupervisorHarness.decisions(result.events()).get(0));
        assertEquals(code, refused.code());
        assertInstanceOf(SupervisorState.Active.class, result.state());
    }

    @Test
    void aKillSignedByAKeyThatIsNoOperatorIsRefusedAndJournaled() {
        Running r = h.run(List.of(COMPUTE));
        SwarmKeyPair member = Ed25519.generate(); // a cluster member's own key, admitted as nothing
        assertRefusedAndStillRunning(r, new Kill(OperatorTokens.sign(member, h.fixture.audience(),
                OperatorCommandKind.KILL, killOf(r)), null), RefusalCode.UNKNOWN_SENDER);
    }

    @Test
    void aKillWithoutATokenOrWithGarbageIsRefusedAndJournaled() {
        Running r = h.run(List.of(COMPUTE));
        assertRefusedAndStillRunning(r, new Kill(null, null), RefusalCode.MISSING_SIGNATURE);
        assertRefusedAndStillRunning(r, new Kill("operator:ops", null), RefusalCode.MISSING_SIGNATURE);
    }

    @Test
    void aKillForAnotherEntityOrOfAnotherKindIsRefused() {
        Running r = h.run(List.of(COMPUTE));
        String elsewhere = OperatorTokens.sign(h.fixture.operator, h.fixture.audience(), OperatorCommandKind.KILL,
                OperatorTokens.body("scope", "ENTITY", "name", "node:somebody-else", "reason", "x"));
        assertRefusedAndStillRunning(r, new Kill(elsewhere, null), RefusalCode.WRONG_RECIPIENT);
        String rail = OperatorTokens.sign(h.fixture.operator, h.fixture.audience(), OperatorCommandKind.KILL,
                OperatorTokens.body("scope", "RAIL", "name", r.address().toString(), "reason", "x"));
        assertRefusedAndStillRunning(r, new Kill(rail, null), RefusalCode.WRONG_RECIPIENT);
        String release = OperatorTokens.sign(h.fixture.operator, h.fixture.audience(), OperatorCommandKind.RELEASE,
                OperatorTokens.body("entity", r.address().toString(), "reason", "x"));
        assertRefusedAndStillRunning(r, new Kill(release, null), RefusalCode.WRONG_RECIPIENT);
    }

    @Test
    void anExpiredOrTamperedKillIsRefused() {
        Running r = h.run(List.of(COMPUTE));
        String old = OperatorTokens.sign(h.fixture.operator, h.fixture.audience(), OperatorCommandKind.KILL,
                killOf(r), Instant.now().minus(Duration.ofMinutes(10)), Duration.ofMinutes(2), OperatorTokens.newJti());
        assertRefusedAndStillRunning(r, new Kill(old, null), RefusalCode.STALE);
        String genuine = OperatorTokens.sign(h.fixture.operator, h.fixture.audience(), OperatorCommandKind.KILL,
                OperatorTokens.body("scope", "ENTITY", "name", "node:other", "reason", "x"));
        String[] parts = genuine.split("\\.");
        String otherPayload = OperatorTokens.sign(h.fixture.operator, h.fixture.audience(), OperatorCommandKind.KILL,
                killOf(r)).split("\\.")[1];
        assertRefusedAndStillRunning(r, new Kill(parts[0] + "." + otherPayload + "." + parts[2], null),
                RefusalCode.BAD_SIGNATURE);
    }

    @Test
    void theGenuineKillStillWorks() {
        Running r = h.run(List.of(COMPUTE));
        var result = r.kit().<EntityStatus>runCommand(replyTo -> h.fixture.kill(r.address(), "real", replyTo));
        assertTrue(result.reply().quarantined());
    }

    @Test
    void aForgedReleaseOpensNoApproval() {
        Running r = h.run(List.of(COMPUTE));
        r.kit().<EntityStatus>runCommand(replyTo -> h.fixture.kill(r.address(), "stop", replyTo));
        SwarmKeyPair member = Ed25519.generate();
        String forged = OperatorTokens.sign(member, h.fixture.audience(), OperatorCommandKind.RELEASE,
                OperatorTokens.body("entity", r.address().toString(), "reason", "let me out"));
        var result = r.kit().<EntityStatus>runCommand(replyTo -> new RequestRelease(forged, replyTo));
        assertTrue(result.reply().quarantined());
        Refused refused = assertInstanceOf(Refused.class, SupervisorHarness.decisions(result.events()).get(0));
        assertEquals(RefusalCode.UNKNOWN_SENDER, refused.code());
        SupervisorState.Quarantined q = assertInstanceOf(SupervisorState.Quarantined.class, result.state());
        assertTrue(q.releaseApprovalId().isEmpty(), "no release approval opened");
        h.approvals.expectNoMessage(Duration.ofMillis(200));
    }

    @Test
    void aForwardedCommandReplayedToTheEntityIsRefused() {
        Running r = h.run(List.of(COMPUTE));
        r.kit().<EntityStatus>runCommand(replyTo -> h.fixture.kill(r.address(), "stop", replyTo));
        String token = OperatorTokens.sign(h.fixture.operator, h.fixture.audience(), OperatorCommandKind.RELEASE,
                OperatorTokens.body("entity", r.address().toString(), "reason", "checked"));
        var first = r.kit().<EntityStatus>runCommand(replyTo -> new RequestRelease(token, replyTo));
        assertTrue(SupervisorHarness.decisions(first.events()).stream().noneMatch(e -> e instanceof Refused),
                "the genuine release is taken: " + first.events());

        // A cluster member that captured the forwarded command sends it again.
        var replayed = r.kit().<EntityStatus>runCommand(replyTo -> new RequestRelease(token, replyTo));
        Refused refused = assertInstanceOf(Refused.class, SupervisorHarness.decisions(replayed.events()).get(0));
        assertEquals(RefusalCode.REPLAYED, refused.code());
        assertTrue(refused.detail().contains("already taken"), refused.detail());
    }

    @Test
    void aCommandIssuedBeforeThisIncarnationStartedIsAReplay() {
        Running r = h.run(List.of(COMPUTE));
        // Still within its lifetime for the authenticator, but older than the entity's current incarnation.
        String earlier = OperatorTokens.sign(h.fixture.operator, h.fixture.audience(), OperatorCommandKind.KILL,
                killOf(r), Instant.now().minus(Duration.ofMinutes(2)), Duration.ofMinutes(5), OperatorTokens.newJti());
        assertRefusedAndStillRunning(r, new Kill(earlier, null), RefusalCode.REPLAYED);
    }

    @Test
    void aKillMintedForAnotherSwarmIsRefusedAndJournaled() {
        Running r = h.run(List.of(COMPUTE));
        // The same operator key, trusted by another swarm too: the token it minted there is not valid here.
        String elsewhere = OperatorTokens.sign(h.fixture.operator, "another-swarm", OperatorCommandKind.KILL,
                killOf(r));
        var result = r.kit().<EntityStatus>runCommand(replyTo -> new Kill(elsewhere, replyTo));
        assertFalse(result.reply().quarantined());
        Refused refused = assertInstanceOf(Refused.class, SupervisorHarness.decisions(result.events()).get(0));
        assertEquals(RefusalCode.WRONG_RECIPIENT, refused.code());
        assertTrue(refused.detail().contains("WRONG_AUDIENCE"), refused.detail());
        assertRefusedAndStillRunning(r, new Kill(OperatorTokens.sign(h.fixture.operator, h.fixture.audience() + "x",
                OperatorCommandKind.KILL, killOf(r)), null), RefusalCode.WRONG_RECIPIENT);
    }
}
