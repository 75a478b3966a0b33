package org.nexusswarm.safety.internal.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.IdentityDirectory;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.api.monitor.KillTarget;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorCommandSettings;
import org.nexusswarm.safety.api.operator.OperatorTokenVerifier;
import org.nexusswarm.safety.api.operator.OperatorTokens;

/**
 * The three safety ledgers on their own (EventSourcedBehaviorTestKit, every command, event and state through Kryo):
 * a signed command is journaled and survives a restart; a command not signed by an admitted operator, of another
 * kind, or malformed is refused and journals nothing; a replay journals nothing new; a lift approval releases once,
 * also after a restart; and when the journal write fails no acknowledgement is ever sent.
 */
@ExtendWith(LogCapturingExtension.class)
class SafetyLedgersTest {

    private static final SwarmKeyPair ALICE = Ed25519.generate();
    private static final SwarmKeyPair MALLORY = Ed25519.generate();
    private static final SwarmKeyPair AGENT = Ed25519.generate();
    private static final String AUDIENCE = OperatorCommandSettings.DEFAULT_AUDIENCE;
    private static final IdentityDirectory IDENTITIES = new IdentityDirectory();
    private static final Supplier<OperatorTokenVerifier> VERIFIER = () -> new OperatorTokenVerifier(IDENTITIES,
            Clock.systemUTC(), OperatorCommandSettings.DEFAULTS);
    private static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("SafetyLedgersTest", EventSourcedBehaviorTestKit.config()
                .withFallback(ConfigFactory.load("application-test")));
        IDENTITIES.admit(ALICE.did(), "operator:alice");
        IDENTITIES.admit(AGENT.did(), "agent:drought-watch.agent-001");
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static String token(SwarmKeyPair signer, OperatorCommandKind kind, Object... body) {
        return OperatorTokens.sign(signer, AUDIENCE, kind, OperatorTokens.body(body));
    }

    private static String kill(String rail, String reason) {
        return token(ALICE, OperatorCommandKind.KILL, "scope", "RAIL", "name", rail, "reason", reason);
    }

    private static EventSourcedBehaviorTestKit<KillSwitchLedger.Command, KillSwitchLedger.Event,
            KillSwitchLedger.State> killSwitch() {
        var kit = EventSourcedBehaviorTestKit.<KillSwitchLedger.Command, KillSwitchLedger.Event,
                KillSwitchLedger.State>create(testKit.system(), KillSwitchLedger.create(VERIFIER, Clock.systemUTC()));
        kit.clear();
        return kit;
    }

    private static EventSourcedBehaviorTestKit<RevocationLedger.Command, RevocationLedger.Revoked,
            RevocationLedger.State> revocations() {
        var kit = EventSourcedBehaviorTestKit.<RevocationLedger.Command, RevocationLedger.Revoked,
                RevocationLedger.State>create(testKit.system(), RevocationLedger.create(VERIFIER, Clock.systemUTC()));
        kit.clear();
        return kit;
    }

    private static EventSourcedBehaviorTestKit<OperatorLedger.Command, OperatorLedger.Event,
            OperatorLedger.State> operators() {
        var kit = EventSourcedBehaviorTestKit.<OperatorLedger.Command, OperatorLedger.Event,
                OperatorLedger.State>create(testKit.system(), OperatorLedger.create(VERIFIER, IDENTITIES,
                Clock.systemUTC()));
        kit.clear();
        return kit;
    }

    /** The testkit may report the failed write itself; what matters here is what the operator hears. */
    private static <C> void sendWhileTheJournalFails(EventSourcedBehaviorTestKit<C, ?, ?> kit, C command) {
        try {
            kit.runCommand(command);
        } catch (AssertionError | RuntimeException reportedByTheTestKit) {
            // expected: the entity stopped on the failed persist and restarts with backoff
        }
    }

    // ---- kill switch ----

    @Test
    void anEngagementIsJournaledFromTheSignedCommandAndSurvivesARestart() {
        var kit = killSwitch();
        var result = kit.<LedgerReply>runCommand(r -> new KillSwitchLedger.Engage(kill("drought-watch", "flood"), r));

        assertTrue(result.reply().accepted());
        KillSwitchLedger.Engaged engaged = assertInstanceOf(KillSwitchLedger.Engaged.class, result.event());
        assertEquals(KillTarget.rail("drought-watch"), engaged.target());
        assertEquals("operator:alice", engaged.operator());
        assertEquals(ALICE.did().value(), engaged.operatorDid());
        assertEquals("flood", engaged.reason());

        kit.restart();
        assertEquals(List.of(engaged), kit.getState().engaged());
    }

    @Test
    void aKillNotSignedByAnAdmittedOperatorOrOfAnotherKindIsRefusedAndJournalsNothing() {
        var kit = killSwitch();
        String forged = token(MALLORY, OperatorCommandKind.KILL, "scope", "RAIL", "name", "r", "reason", "x");
        String revoke = token(ALICE, OperatorCommandKind.REVOKE, "credentialId", "c", "reason", "x");
        String byAgent = token(AGENT, OperatorCommandKind.KILL, "scope", "RAIL", "name", "r", "reason", "x");
        String tampered = kill("r", "x");
        tampered = tampered.substring(0, tampered.length() - 4) + (tampered.endsWith("AAAA") ? "BBBB" : "AAAA");

        assertEquals("UNKNOWN_OPERATOR", kit.<LedgerReply>runCommand(r -> new KillSwitchLedger.Engage(forged, r))
                .reply().refusal());
        assertEquals("WRONG_KIND", kit.<LedgerReply>runCommand(r -> new KillSwitchLedger.Engage(revoke, r))
                .reply().refusal());
        assertFalse(kit.<LedgerReply>runCommand(r -> new KillSwitchLedger.Engage(byAgent, r)).reply().accepted());
        String bad = tampered;
        assertFalse(kit.<LedgerReply>runCommand(r -> new KillSwitchLedger.Engage(bad, r)).reply().accepted());
        assertEquals("MALFORMED", kit.<LedgerReply>runCommand(r -> new KillSwitchLedger.Engage(
                token(ALICE, OperatorCommandKind.KILL, "scope", "GALAXY", "name", "r", "reason", "x"), r))
                .reply().refusal());
        assertTrue(kit.getState().engaged().isEmpty());
        kit.persistenceTestKit().expectNothingPersisted(KillSwitchLedger.ledgerId().id());
    }

    @Test
    void aReplayedKillJournalsNothingNew() {
        var kit = killSwitch();
        String token = kill("drought-watch", "flood");
        kit.<LedgerReply>runCommand(r -> new KillSwitchLedger.Engage(token, r));

        var again = kit.<LedgerReply>runCommand(r -> new KillSwitchLedger.Engage(token, r));

        assertTrue(again.reply().accepted());
        assertTrue(again.hasNoEvents());
        assertEquals(1, kit.getState().engaged().size());
    }

    @Test
    void aLiftApprovalReleasesOnceEvenAfterARestart() {
        var kit = killSwitch();
        KillTarget target = KillTarget.rail("drought-watch");
        String lift = token(ALICE, OperatorCommandKind.LIFT, "approvalId", "node:kill-switch:lift-1");
        kit.<LedgerReply>runCommand(r -> new KillSwitchLedger.Engage(kill("drought-watch", "flood"), r));

        var released = kit.<LedgerReply>runCommand(r -> new KillSwitchLedger.Release(lift, target, r));
        assertTrue(released.reply().accepted());
        assertInstanceOf(KillSwitchLedger.Released.class, released.event());
        assertTrue(kit.getState().engaged().isEmpty());

        kit.<LedgerReply>runCommand(r -> new KillSwitchLedger.Engage(kill("drought-watch", "flood again"), r));
        kit.restart();
        var replayed = kit.<LedgerReply>runCommand(r -> new KillSwitchLedger.Release(lift, target, r));

        assertEquals("ALREADY_USED", replayed.reply().refusal());
        assertEquals(1, kit.getState().engaged().size(), "still engaged");
        // A kill token is no lift.
        assertEquals("WRONG_KIND", kit.<LedgerReply>runCommand(r -> new KillSwitchLedger.Release(
                kill("drought-watch", "x"), target, r)).reply().refusal());
    }

    @Test
    void whenTheEngagementCannotBeStoredNoAcknowledgementIsSent() {
        var kit = killSwitch();
        TestProbe<LedgerReply> operator = testKit.createTestProbe();
        kit.persistenceTestKit().failNextPersisted();

        sendWhileTheJournalFails(kit, new KillSwitchLedger.Engage(kill("drought-watch", "flood"), operator.ref()));

        operator.expectNoMessage(Duration.ofSeconds(1));
        kit.restart();
        assertTrue(kit.getState().engaged().isEmpty());
    }

    // ---- revocations ----

    @Test
    void aRevocationIsJournaledAndSurvivesARestartAndAReplayAddsNothing() {
        var kit = revocations();
        String token = token(ALICE, OperatorCommandKind.REVOKE, "credentialId", "cred-7", "reason", "key leaked");
        var result = kit.<LedgerReply>runCommand(r -> new RevocationLedger.Revoke(token, r));

        assertTrue(result.reply().accepted());
        RevocationLedger.Revoked revoked = assertInstanceOf(RevocationLedger.Revoked.class, result.event());
        assertEquals("cred-7", revoked.credentialId());
        assertEquals("operator:alice", revoked.operator());
        assertTrue(kit.<LedgerReply>runCommand(r -> new RevocationLedger.Revoke(token, r)).hasNoEvents());

        kit.restart();
        assertEquals(java.util.Set.of("cred-7"), kit.getState().revoked());
    }

    @Test
    void aRevocationFromSomeoneElseOrOversizedIsRefusedAndJournalsNothing() {
        var kit = revocations();
        assertEquals("UNKNOWN_OPERATOR", kit.<LedgerReply>runCommand(r -> new RevocationLedger.Revoke(
                token(MALLORY, OperatorCommandKind.REVOKE, "credentialId", "cred-7", "reason", "x"), r))
                .reply().refusal());
        assertEquals("MALFORMED", kit.<LedgerReply>runCommand(r -> new RevocationLedger.Revoke(
                token(ALICE, OperatorCommandKind.REVOKE, "credentialId", "c".repeat(513), "reason", "x"), r))
                .reply().refusal());
        assertEquals("WRONG_KIND", kit.<LedgerReply>runCommand(r -> new RevocationLedger.Revoke(
                kill("r", "x"), r)).reply().refusal());
        kit.persistenceTestKit().expectNothingPersisted(RevocationLedger.ledgerId().id());
    }

    @Test
    void whenTheRevocationCannotBeStoredNoAcknowledgementIsSent() {
        var kit = revocations();
        TestProbe<LedgerReply> operator = testKit.createTestProbe();
        kit.persistenceTestKit().failNextPersisted();

        sendWhileTheJournalFails(kit, new RevocationLedger.Revoke(token(ALICE, OperatorCommandKind.REVOKE,
                "credentialId", "cred-9", "reason", "x"), operator.ref()));

        operator.expectNoMessage(Duration.ofSeconds(1));
        kit.restart();
        assertTrue(kit.getState().revoked().isEmpty());
    }

    // ---- operators ----

    @Test
    void anAdmissionIsJournaledAndSurvivesARestartAndARemovalToo() {
        var kit = operators();
        SwarmKeyPair bob = Ed25519.generate();
        var admitted = kit.<LedgerReply>runCommand(r -> new OperatorLedger.Admit(token(ALICE,
                OperatorCommandKind.ADMIT_OPERATOR, "did", bob.did().value(), "name", "bob"), r));

        assertTrue(admitted.reply().accepted());
        OperatorLedger.OperatorAdmitted event = assertInstanceOf(OperatorLedger.OperatorAdmitted.class,
                admitted.event());
        assertEquals("operator:bob", event.name());
        assertEquals("operator:alice", event.admittedBy());
        kit.restart();
        assertEquals(java.util.Map.of(bob.did().value(), "operator:bob"), kit.getState().operators());

        var removed = kit.<LedgerReply>runCommand(r -> new OperatorLedger.Remove(token(ALICE,
                OperatorCommandKind.REMOVE_OPERATOR, "did", bob.did().value()), r));
        assertTrue(removed.reply().accepted());
        kit.restart();
        assertTrue(kit.getState().operators().isEmpty());
    }

    @Test
    void anAdmissionThatWouldTakeOverAnEntityKeyOrComesFromOutsideIsRefused() {
        var kit = operators();
        assertEquals("INVALID", kit.<LedgerReply>runCommand(r -> new OperatorLedger.Admit(token(ALICE,
                OperatorCommandKind.ADMIT_OPERATOR, "did", AGENT.did().value(), "name", "sneaky"), r))
                .reply().refusal());
        assertEquals("UNKNOWN_OPERATOR", kit.<LedgerReply>runCommand(r -> new OperatorLedger.Admit(token(MALLORY,
                OperatorCommandKind.ADMIT_OPERATOR, "did", MALLORY.did().value(), "name", "mallory"), r))
                .reply().refusal());
        assertEquals("MALFORMED", kit.<LedgerReply>runCommand(r -> new OperatorLedger.Admit(token(ALICE,
                OperatorCommandKind.ADMIT_OPERATOR, "did", "did:nexus:AAAA", "name", "short-key"), r))
                .reply().refusal());
        assertEquals("MALFORMED", kit.<LedgerReply>runCommand(r -> new OperatorLedger.Admit(token(ALICE,
                OperatorCommandKind.ADMIT_OPERATOR, "did", Ed25519.generate().did().value(), "name", "a|b"), r))
                .reply().refusal());
        assertEquals("INVALID", kit.<LedgerReply>runCommand(r -> new OperatorLedger.Remove(token(ALICE,
                OperatorCommandKind.REMOVE_OPERATOR, "did", ALICE.did().value()), r)).reply().refusal());
        kit.persistenceTestKit().expectNothingPersisted(OperatorLedger.ledgerId().id());
    }

    @Test
    void whenTheAdmissionCannotBeStoredNoAcknowledgementIsSent() {
        var kit = operators();
        TestProbe<LedgerReply> operator = testKit.createTestProbe();
        kit.persistenceTestKit().failNextPersisted();

        sendWhileTheJournalFails(kit, new OperatorLedger.Admit(token(ALICE, OperatorCommandKind.ADMIT_OPERATOR, "did",
                Ed25519.generate().did().value(), "name", "carol"), operator.ref()));

        operator.expectNoMessage(Duration.ofSeconds(1));
        kit.restart();
        assertTrue(kit.getState().operators().isEmpty());
    }
}
