package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.Kill;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.protocol.RequestRelease;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorCommandSettings;
import org.nexusswarm.safety.api.operator.OperatorTokenVerifier;
import org.nexusswarm.safety.api.operator.OperatorTokens;
import org.nexusswarm.safety.api.supervisor.SafetyEvent;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.OperatorCommandTaken;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Refused;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.internal.supervisor.SupervisorHarness.Running;

/**
 * A Kill or RequestRelease forwarded through sharding carries a signed operator token; a cluster member that
 * captured one could re-send it. The supervisor journals every token it takes (id, operator, expiry) with what the
 * command does, so a re-sent token is refused, and journaled as refused, after a restart or passivation too (here:
 * recovery from a snapshot and the events after it), until the token has expired. Fresh tokens still work, and
 * expired entries are pruned so the set stays small.
 */
@ExtendWith(LogCapturingExtension.class)
class OperatorCommandJournalTest {

    private static final String COMPUTE = "compute.request";
    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.NODE, "grid-5");
    private static final List<org.nexusswarm.actors.identity.SwarmKeyPair> APPROVER_KEYS =
            SafetyFixture.approverKeys(2);
    private static final String RELEASE_RULE = "release { action = \"safety.release\", approval { quorum { k = 2, "
            + "approvers = [" + String.join(", ", SafetyFixture.didsOf(APPROVER_KEYS).stream()
                    .map(d -> "\"" + d + "\"").toList()) + "], timeout = 1m } } }";

    private static SupervisorHarness h;
    private OperatorTokenVerifier defaultVerifier;

    @BeforeAll
    static void start() {
        // Snapshots every 3 events: a restart recovers from a snapshot, so what was taken must be in it.
        h = new SupervisorHarness("OperatorCommandJournalTest", "nexus.swarm.safety.snapshot-every = 3");
    }

    @AfterAll
    static void stop() {
        h.shutdown();
    }

    @BeforeEach
    void reset() {
        h.reset();
        defaultVerifier = h.fixture.registry.services().operatorCommands();
    }

    @AfterEach
    void restoreVerifier() {
        h.fixture.registry.services().useOperatorCommands(defaultVerifier);
    }

    private static Map<String, Object> killOf(Running r, String reason) {
        return OperatorTokens.body("scope", "ENTITY", "name", r.address().toString(), "reason", reason);
    }

    private static String releaseOf(Running r) {
        return OperatorTokens.sign(h.fixture.operator, h.fixture.audience(), OperatorCommandKind.RELEASE,
                OperatorTokens.body("entity", r.address().toString(), "reason", "fixed"));
    }

    private static void useReleaseRule() {
        h.fixture.usePolicies(SafetyFixture.policy(40, "rules {\n  anything { action = \"*\" }\n  " + RELEASE_RULE
                + "\n}"));
    }

    /** Restarts the supervisor (as after a crash or passivation) and waits for its fresh logic, if it runs one. */
    private static void restart(Running r) {
        r.kit().restart();
        if (r.kit().getState() instanceof SupervisorState.Active) {
            r.entity().starts().expectMessageClass(TestPayloads.LogicStarted.class);
        }
    }

    private static Refused refusedReplay(
            org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply<
                    ?, SafetyEvent, SupervisorState, EntityStatus> result) {
        Refused refused = assertInstanceOf(Refused.class, SupervisorHarness.decisions(result.events()).get(0));
        assertEquals(RefusalCode.REPLAYED, refused.code());
        assertTrue(refused.detail().contains("already taken"), refused.detail());
        return refused;
    }

    @Test
    void aKillReSentAfterTheEntityWasReleasedAndRestartedIsRefusedAndJournaled() {
        Running r = h.run(List.of(COMPUTE));
        String kill = OperatorTokens.sign(h.fixture.operator, h.fixture.audience(), OperatorCommandKind.KILL, killOf(r, "inspection"));
        var killed = r.kit().<EntityStatus>runCommand(replyTo -> new Kill(kill, replyTo));
        assertTrue(killed.reply().quarantined());
        OperatorCommandTaken taken = assertInstanceOf(OperatorCommandTaken.class,
                SupervisorHarness.decisions(killed.events()).get(0), "journaled before the kill, in the same write");
        assertEquals("kill", taken.kind());
        assertEquals(SafetyFixture.OPERATOR, taken.operator());
        assertTrue(taken.expiresAtMillis() > System.currentTimeMillis());
        assertInstanceOf(SafetyEvent.Killed.class, SupervisorHarness.decisions(killed.events()).get(1));

        // Released by its approvers, and restarted (recovered from a snapshot and the events after it).
        useReleaseRule();
        r.kit().<EntityStatus>runCommand(replyTo -> new RequestRelease(releaseOf(r), replyTo));
        ApprovalRequest.Open open = h.approvals.receiveMessage();
        r.kit().runCommand(h.fixture.proof(open.approvalId(), open.summary(), true, "ok", APPROVER_KEYS));
        r.entity().starts().expectMessageClass(TestPayloads.LogicStarted.class);
        restart(r);
        assertInstanceOf(SupervisorState.Active.class, r.kit().getState());
        assertTrue(r.kit().getState().memory().taken().contains(taken.jti()), "the taken set is recovered");

        // A cluster member that captured the forwarded kill sends it again: refused, journaled, still running.
        var replayed = r.kit().<EntityStatus>runCommand(replyTo -> new Kill(kill, replyTo));
        assertFalse(replayed.reply().quarantined());
        refusedReplay(replayed);
        assertInstanceOf(SupervisorState.Active.class, replayed.state());
        assertTrue(h.act(r, "still-working", COMPUTE, TARGET).allowed());

        // A fresh kill still works.
        var fresh = r.kit().<EntityStatus>runCommand(replyTo -> h.fixture.kill(r.address(), "again", replyTo));
        assertTrue(fresh.reply().quarantined());
    }

    @Test
    void aReleaseTakenWhenItCouldOpenNothingCannotBeReSentOnceAPolicyAllowsIt() {
        Running r = h.run(List.of(COMPUTE));
        r.kit().<EntityStatus>runCommand(replyTo -> h.fixture.kill(r.address(), "inspection", replyTo));
        // No policy names release approvers yet: the release opens nothing, but its token is taken.
        String release = releaseOf(r);
        var first = r.kit().<EntityStatus>runCommand(replyTo -> new RequestRelease(release, replyTo));
        assertTrue(first.reply().reason().contains("release is not possible"), first.reply().reason());
        assertEquals(List.of(OperatorCommandTaken.class), SupervisorHarness.types(first.events()));

        restart(r);
        useReleaseRule();
        var replayed = r.kit().<EntityStatus>runCommand(replyTo -> new RequestRelease(release, replyTo));
        refusedReplay(replayed);
        SupervisorState.Quarantined q = assertInstanceOf(SupervisorState.Quarantined.class, replayed.state());
        assertTrue(q.releaseApprovalId().isEmpty(), "no release opened by the replayed token");
        h.approvals.expectNoMessage(Duration.ofMillis(200));
    }

    @Test
    void aCommandTakenAsANoOpIsJournaledAndRefusedAgainAfterARestart() {
        Running r = h.run(List.of(COMPUTE));
        String release = releaseOf(r); // to an entity that is not quarantined: nothing to do
        var first = r.kit().<EntityStatus>runCommand(replyTo -> new RequestRelease(release, replyTo));
        assertEquals(List.of(OperatorCommandTaken.class), SupervisorHarness.types(first.events()));
        restart(r);
        refusedReplay(r.kit().<EntityStatus>runCommand(replyTo -> new RequestRelease(release, replyTo)));
    }

    @Test
    void aCommandNeverTakenBeforeARestartIsTakenAfterIt() {
        Running r = h.run(List.of(COMPUTE));
        String kill = OperatorTokens.sign(h.fixture.operator, h.fixture.audience(), OperatorCommandKind.KILL, killOf(r, "late"));
        restart(r);
        assertTrue(r.kit().<EntityStatus>runCommand(replyTo -> new Kill(kill, replyTo)).reply().quarantined(),
                "only tokens this entity took are refused");
    }

    @Test
    void expiredEntriesArePrunedWhenTheNextCommandIsTaken() {
        TestClock clock = TestClock.frozenNow();
        h.fixture.registry.useClock(clock);
        h.fixture.registry.services().useOperatorCommands(new OperatorTokenVerifier(h.fixture.registry.identities(),
                clock, OperatorCommandSettings.DEFAULTS.withAudience(h.fixture.audience())));
        try {
            Running r = h.run(List.of(COMPUTE));
            String first = OperatorTokens.sign(h.fixture.operator, h.fixture.audience(), OperatorCommandKind.KILL, killOf(r, "first"),
                    clock.instant(), Duration.ofMinutes(1), "jti-first-0123456789");
            EntityStatus killed = r.kit().<EntityStatus>runCommand(replyTo -> new Kill(first, replyTo)).reply();
            assertTrue(killed.quarantined(), killed.reason());
            assertEquals(Map.of("jti-first-0123456789", clock.instant().getEpochSecond() * 1000 + 60_000),
                    r.kit().getState().memory().taken().expiries());

            // Long past its expiry (and the margin kept after it), the next command taken prunes it.
            clock.advance(Duration.ofMinutes(1).plusMillis(TakenCommands.KEEP_AFTER_EXPIRY_MILLIS + 1000));
            String second = OperatorTokens.sign(h.fixture.operator, h.fixture.audience(), OperatorCommandKind.KILL, killOf(r, "second"),
                    clock.instant(), Duration.ofMinutes(1), "jti-second-0123456789");
            var taken = r.kit().<EntityStatus>runCommand(replyTo -> new Kill(second, replyTo));
            assertEquals(List.of(OperatorCommandTaken.class), SupervisorHarness.types(taken.events()));
            assertEquals(java.util.Set.of("jti-second-0123456789"), r.kit().getState().memory().taken().expiries().keySet());

            // The pruned token is refused all the same: it has expired.
            var stale = r.kit().<EntityStatus>runCommand(replyTo -> new Kill(first, replyTo));
            assertEquals(RefusalCode.STALE, assertInstanceOf(Refused.class,
                    SupervisorHarness.decisions(stale.events()).get(0)).code());
        } finally {
            h.fixture.registry.useClock(java.time.Clock.systemUTC());
        }
    }
}
