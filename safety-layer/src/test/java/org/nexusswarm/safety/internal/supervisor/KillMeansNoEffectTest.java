package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.EntityCommand;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.GetStatus;
import org.nexusswarm.actors.protocol.Kill;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.safety.api.credential.Credential;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionAllowed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionDenied;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Killed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Refused;
import org.nexusswarm.safety.internal.supervisor.SafetyFixture.Deployed;
import org.nexusswarm.safety.internal.supervisor.SupervisorHarness.Running;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Act;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Burst;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Note;

/**
 * Red team, issue 8 item 8: a kill leaves no effect. The intent that trips a kill rung is denied and never reaches
 * its target; an entity whose credential does not verify never runs its logic and refuses everything, journaled;
 * intents the child sent before it stopped, and envelopes arriving after quarantine, are refused and journaled.
 * ({@link RefusalFloodTest} bounds the journaling of unauthenticated refusals.)
 */
@ExtendWith(LogCapturingExtension.class)
class KillMeansNoEffectTest {

    private static final String COMPUTE = "compute.request";
    private static final String FUNDS = "funds.transfer";
    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.NODE, "grid-9");

    private static SupervisorHarness h;

    @BeforeAll
    static void start() {
        h = new SupervisorHarness("KillMeansNoEffectTest", "nexus.swarm.safety.max-denials = 1");
    }

    @AfterAll
    static void stop() {
        h.shutdown();
    }

    @BeforeEach
    void reset() {
        h.reset();
    }

    @Test
    void theIntentThatTripsTheKillRungIsDeniedAndNeverDelivered() {
        h.fixture.usePolicies(SafetyFixture.policy(40, "rules { anything { action = \"*\" } }\n"
                + "monitors { window = 1m\n actions-per-minute { kill = 3 }\n envelope-drift { warn = 5 } }"));
        Running r = h.run(List.of(COMPUTE));
        for (int i = 1; i <= 2; i++) {
            assertTrue(h.act(r, "ok-" + i, COMPUTE, TARGET).allowed());
            h.router.receiveMessage();
        }

        h.propose(r, new Act("third", COMPUTE, TARGET, "the one too many"));
        h.testKit.createTestProbe().expectTerminated(r.logic(), Duration.ofSeconds(5));

        h.router.expectNoMessage();
        List<SafetyEvent> journal = h.journal(r);
        ActionDenied denied = h.last(r, ActionDenied.class);
        assertEquals("third", denied.intentId());
        assertEquals(RefusalCode.MONITOR_KILL, denied.code());
        assertTrue(denied.detail().contains("actions-per-minute") || denied.detail().contains("action"),
                denied.detail());
        assertEquals(2, h.eventsOf(r, ActionAllowed.class).size(), "the third was never allowed");
        Killed killed = h.last(r, Killed.class);
        assertTrue(journal.indexOf(killed) > journal.indexOf(denied), "denied first, then killed");
        assertInstanceOf(SupervisorState.Quarantined.class, r.kit().getState());
    }

    static Stream<Arguments> credentialsThatDoNotVerify() {
        BiFunction<SafetyFixture, SwarmKeyPair, Credential> untrusted = (f, keys) -> {
            long now = System.currentTimeMillis();
            return Credential.issue(Ed25519.generate(), "rogue", keys.did(), List.of(COMPUTE), now - 1000,
                    now + 60_000);
        };
        BiFunction<SafetyFixture, SwarmKeyPair, Credential> wrongSubject = (f, keys) ->
                f.credential(Ed25519.generate(), List.of(COMPUTE));
        BiFunction<SafetyFixture, SwarmKeyPair, Credential> tampered = (f, keys) -> {
            Credential real = f.credential(keys, List.of("alert.raise"));
            return new Credential(real.id(), real.issuerDid(), real.subjectDid(), List.of("alert.raise", COMPUTE),
                    real.notBefore(), real.notAfter(), real.signature());
        };
        return Stream.of(Arguments.of("untrusted issuer", untrusted), Arguments.of("issued to another DID",
                wrongSubject), Arguments.of("allow-list extended after signing", tampered));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentialsThatDoNotVerify")
    void aCredentialThatDoesNotVerifyNeverStartsTheLogicAndRefusesEverything(String name,
            BiFunction<SafetyFixture, SwarmKeyPair, Credential> credential) {
        Deployed entity = h.fixture.deploy(SafetyFixture.freshAddress("forged"), keys -> credential.apply(h.fixture,
                keys), null);
        EventSourcedBehaviorTestKit<EntityCommand, SafetyEvent, SupervisorState> kit =
                EventSourcedBehaviorTestKit.create(h.testKit.system(), SafetySupervisor.create(entity.address()));
        Running r = new Running(entity, kit, null);

        entity.starts().expectNoMessage(Duration.ofMillis(300));
        var reply = h.deliver(r, h.fixture.fromOperator(entity.address(), new Act("i-1", COMPUTE, TARGET, "go")));
        DeliveryReply.Refused refused = assertInstanceOf(DeliveryReply.Refused.class, reply.reply());
        assertEquals(RefusalCode.INVALID_CREDENTIAL, refused.code());
        assertTrue(refused.detail().contains("does not verify"), refused.detail());
        assertInstanceOf(DeliveryReply.Refused.class,
                h.deliver(r, h.fixture.fromOperator(entity.address(), new Note("still there?"))).reply());

        entity.inputs().expectNoMessage(Duration.ofMillis(200));
        h.router.expectNoMessage(Duration.ofMillis(100));
        List<SafetyEvent> all = h.fullJournal(r);
        assertTrue(all.stream().noneMatch(e -> e instanceof SafetyEvent.Started), "no logic started: " + all);
        List<Refused> refusals = h.eventsOf(r, Refused.class);
        assertEquals(2, refusals.size());
        assertTrue(refusals.stream().allMatch(e -> e.code() == RefusalCode.INVALID_CREDENTIAL));
        assertEquals(refused.sequence(), refusals.get(0).chronotope().sequence());

        TestProbe<EntityStatus> status = h.testKit.createTestProbe();
        kit.runCommand(new GetStatus(status.ref()));
        EntityStatus s = status.receiveMessage();
        assertFalse(s.quarantined());
        assertTrue(s.reason().contains("does not verify"), s.reason());
    }

    @Test
    void intentsTheChildSentBeforeItStoppedAreRefusedAndJournaled() {
        Running r = h.run(List.of(COMPUTE));

        // One step proposes three intents; the first is outside the credential and, with max-denials = 1, kills.
        h.send(r, new Burst("b", FUNDS, TARGET, 3));
        h.testKit.createTestProbe().expectTerminated(r.logic(), Duration.ofSeconds(5));

        h.testKit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
            List<ActionDenied> denials = h.eventsOf(r, ActionDenied.class);
            assertEquals(List.of("b-1", "b-2", "b-3"), denials.stream().map(ActionDenied::intentId).toList());
            assertEquals(RefusalCode.NOT_IN_CREDENTIAL, denials.get(0).code());
            assertEquals(RefusalCode.QUARANTINED, denials.get(1).code());
            assertEquals(RefusalCode.QUARANTINED, denials.get(2).code());
            return null;
        });
        h.router.expectNoMessage();
        assertEquals(1, h.eventsOf(r, Killed.class).size());
        assertEquals(1, r.kit().getState().denials(), "refusals after quarantine do not count as new denials");
    }

    @Test
    void envelopesAfterQuarantineAreRefusedAndJournaled() {
        Running r = h.run(List.of(COMPUTE));
        TestProbe<EntityStatus> status = h.testKit.createTestProbe();
        r.kit().runCommand(h.fixture.kill(r.address(), "test", status.ref()));
        status.receiveMessage();

        var reply = h.deliver(r, h.fixture.fromOperator(r.address(), new Note("after")));

        DeliveryReply.Refused refused = assertInstanceOf(DeliveryReply.Refused.class, reply.reply());
        assertEquals(RefusalCode.QUARANTINED, refused.code());
        Refused journaled = h.last(r, Refused.class);
        assertEquals(RefusalCode.QUARANTINED, journaled.code());
        assertEquals(refused.sequence(), journaled.chronotope().sequence());
        r.entity().inputs().expectNoMessage(Duration.ofMillis(200));
    }
}
