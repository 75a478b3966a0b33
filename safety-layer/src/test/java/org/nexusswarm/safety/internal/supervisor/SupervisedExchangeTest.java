package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.query.scaladsl.PersistenceTestKitReadJournal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.EntityCommand;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.GetStatus;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.memory.journal.JournalEntry;
import org.nexusswarm.memory.journal.JournalReader;
import org.nexusswarm.safety.internal.supervisor.SafetyFixture.Deployed;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Act;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.LogicStarted;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Note;

/**
 * Two supervised entities in one plain actor system, wired by a router that forwards each {@link Deliver} to
 * the other supervisor: A's logic acts, B's logic hears it from A and answers, A's logic hears the answer.
 * Every message crosses the Kryo serializer ({@code serialize-messages = on}).
 */
@ExtendWith(LogCapturingExtension.class)
class SupervisedExchangeTest {

    private static ActorTestKit testKit;
    private static SafetyFixture fixture;

    @BeforeAll
    static void start() {
        testKit = SafetyFixture.journaledTestKit("SupervisedExchangeTest");
        fixture = new SafetyFixture(testKit);
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void anIntentOfOneEntityReachesTheOthersLogicAndTheAnswerComesBack() throws Exception {
        EntityAddress a = EntityAddress.of(EntityKind.AGENT, "exchange-a");
        EntityAddress b = EntityAddress.of(EntityKind.ORCHESTRATOR, "exchange-b");
        Deployed entityA = fixture.deploy(a, keys -> fixture.credential(keys, List.of("compute.request")), null);
        Deployed entityB = fixture.deploy(b, keys -> fixture.credential(keys, List.of("compute.reply")),
                "compute.reply");
        Map<EntityAddress, ActorRef<EntityCommand>> supervisors = new ConcurrentHashMap<>();
        List<SignedEnvelope> routed = new CopyOnWriteArrayList<>();
        fixture.registry.useRouter((target, deliver) -> {
            routed.add(deliver.envelope());
            supervisors.get(target).tell(deliver);
        });
        supervisors.put(a, testKit.spawn(SafetySupervisor.create(a), "supervisor-a"));
        supervisors.put(b, testKit.spawn(SafetySupervisor.create(b), "supervisor-b"));
        entityA.starts().expectMessageClass(LogicStarted.class);
        entityB.starts().expectMessageClass(LogicStarted.class);

        TestProbe<DeliveryReply> operatorReplies = testKit.createTestProbe();
        supervisors.get(a).tell(new Deliver(fixture.fromOperator(a, new Act("ask-b", "compute.request", b, "2+2")),
                operatorReplies.ref()));
        operatorReplies.expectMessage(new DeliveryReply.Accepted(a.toString(), 2));

        Inputs.expectInbound(entityA.inputs(), SafetyFixture.OPERATOR,
                new Act("ask-b", "compute.request", b, "2+2"));
        AgentInput.Inbound atB = entityB.inputs().expectMessageClass(AgentInput.Inbound.class);
        assertEquals(a.toString(), atB.from());
        assertEquals(a, atB.fromEntity().orElseThrow());
        assertEquals(new Note("2+2"), atB.payload());

        // A's logic learns its intent was allowed; B answers through its own supervisor and credential.
        List<AgentInput> restOfA = List.of(entityA.inputs().receiveMessage(), entityA.inputs().receiveMessage());
        assertTrue(restOfA.stream().anyMatch(i -> i instanceof AgentInput.Outcome o && o.intentId().equals("ask-b")
                && o.allowed() && o.reason().equals("rail:none/anything")), restOfA.toString());
        assertTrue(restOfA.stream().anyMatch(i -> i instanceof AgentInput.Inbound in
                && in.from().equals(b.toString()) && in.payload().equals(new Note("re: 2+2"))), restOfA.toString());
        AgentInput.Outcome atBOutcome = entityB.inputs().expectMessageClass(AgentInput.Outcome.class);
        assertTrue(atBOutcome.allowed());

        assertEquals(5, status(supervisors.get(a)).lastSequence(), "Started, Observed, Proposed, Allowed, Observed");
        assertEquals(4, status(supervisors.get(b)).lastSequence(), "Started, Observed, Proposed, Allowed");
        // The causes link the journals: B's observation names the event of A that allowed the send, and back.
        var journals = org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit.create(testKit.system());
        List<SafetyEvent> eventsA = journals.persistedInStorage(a.persistenceId()).stream()
                .map(SafetyEvent.class::cast).toList();
        List<SafetyEvent> eventsB = journals.persistedInStorage(b.persistenceId()).stream()
                .map(SafetyEvent.class::cast).toList();
        SafetyEvent allowedAtA = eventsA.stream().filter(SafetyEvent.ActionAllowed.class::isInstance).findFirst()
                .orElseThrow();
        SafetyEvent observedAtB = eventsB.stream().filter(SafetyEvent.Observed.class::isInstance).findFirst()
                .orElseThrow();
        assertEquals(List.of(a.persistenceId() + "#" + allowedAtA.chronotope().sequence()),
                observedAtB.chronotope().causes());
        SafetyEvent answerAtA = eventsA.get(eventsA.size() - 1);
        SafetyEvent allowedAtB = eventsB.stream().filter(SafetyEvent.ActionAllowed.class::isInstance).findFirst()
                .orElseThrow();
        assertEquals(List.of(b.persistenceId() + "#" + allowedAtB.chronotope().sequence()),
                answerAtA.chronotope().causes());
        // Deployment announced both entities' session keys: entity-to-entity envelopes carry a MAC, not a signature.
        assertEquals(2, routed.size(), routed.toString());
        assertTrue(routed.stream().allMatch(SignedEnvelope::isMacked), routed.toString());
        JournalReader reader = new JournalReader(testKit.system(), PersistenceTestKitReadJournal.Identifier());
        for (Deployed entity : List.of(entityA, entityB)) {
            List<JournalEntry> journal = reader.readAll(entity.persistenceId()).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            assertTrue(journal.stream().allMatch(JournalEntry::chainIntact), journal.toString());
        }
        List<JournalEntry> journalB = reader.readAll(entityB.persistenceId()).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertEquals("Started", journalB.get(0).type());
        assertEquals("Observed", journalB.get(1).type());
        assertTrue(journalB.get(1).details().contains("from " + a), journalB.get(1).details());
        // B's clock observed A's message: its first event is causally after A's allowing event.
        List<JournalEntry> journalA = reader.readAll(entityA.persistenceId()).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertTrue(journalB.get(1).chronotope().hlc() > journalA.get(3).chronotope().hlc());
        entityA.inputs().expectNoMessage();
        entityB.inputs().expectNoMessage();
    }

    @Test
    void withoutAnnouncedSessionKeysBothEnvelopesAreSignedAndAccepted() {
        EntityAddress a = EntityAddress.of(EntityKind.AGENT, "signed-a");
        EntityAddress b = EntityAddress.of(EntityKind.ORCHESTRATOR, "signed-b");
        Deployed entityA = fixture.deploy(a, keys -> fixture.credential(keys, List.of("compute.request")), null);
        Deployed entityB = fixture.deploy(b, keys -> fixture.credential(keys, List.of("compute.reply")),
                "compute.reply");
        // Peers that never announced a session key: the supervisors fall back to Ed25519 signatures.
        fixture.registry.services().peerKeys().remove(a.toString());
        fixture.registry.services().peerKeys().remove(b.toString());
        Map<EntityAddress, ActorRef<EntityCommand>> supervisors = new ConcurrentHashMap<>();
        List<SignedEnvelope> routed = new CopyOnWriteArrayList<>();
        fixture.registry.useRouter((target, deliver) -> {
            routed.add(deliver.envelope());
            supervisors.get(target).tell(deliver);
        });
        supervisors.put(a, testKit.spawn(SafetySupervisor.create(a), "supervisor-signed-a"));
        supervisors.put(b, testKit.spawn(SafetySupervisor.create(b), "supervisor-signed-b"));
        entityA.starts().expectMessageClass(LogicStarted.class);
        entityB.starts().expectMessageClass(LogicStarted.class);

        TestProbe<DeliveryReply> operatorReplies = testKit.createTestProbe();
        supervisors.get(a).tell(new Deliver(fixture.fromOperator(a, new Act("ask-b", "compute.request", b, "3+3")),
                operatorReplies.ref()));
        operatorReplies.expectMessage(new DeliveryReply.Accepted(a.toString(), 2));

        entityB.inputs().fishForMessage(Duration.ofSeconds(3), m -> m instanceof AgentInput.Inbound in && in.from().equals(a.toString())
                && in.payload().equals(new Note("3+3")) ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
        entityA.inputs().fishForMessage(Duration.ofSeconds(3), m -> m instanceof AgentInput.Inbound in && in.from().equals(b.toString())
                && in.payload().equals(new Note("re: 3+3")) ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());

        assertEquals(2, routed.size(), routed.toString());
        assertTrue(routed.stream().allMatch(e -> SignedEnvelope.ED25519.equals(e.scheme())), routed.toString());
        assertEquals(5, status(supervisors.get(a)).lastSequence(), "Started, Observed, Proposed, Allowed, Observed");
        assertEquals(4, status(supervisors.get(b)).lastSequence(), "Started, Observed, Proposed, Allowed: nothing refused");
    }

    @Test
    void aSupervisorRefusesAnEnvelopeForwardedFromSomeoneElse() {
        EntityAddress c = EntityAddress.of(EntityKind.AGENT, "exchange-c");
        Deployed entityC = fixture.deploy(c, keys -> fixture.credential(keys, List.of()), null);
        ActorRef<EntityCommand> supervisor = testKit.spawn(SafetySupervisor.create(c), "supervisor-c");
        entityC.starts().expectMessageClass(LogicStarted.class);
        TestProbe<DeliveryReply> replies = testKit.createTestProbe();

        // A genuine envelope for another entity, replayed to C.
        supervisor.tell(new Deliver(fixture.fromOperator(EntityAddress.of(EntityKind.AGENT, "exchange-a"),
                new Note("replayed")), replies.ref()));

        DeliveryReply.Refused refused = replies.expectMessageClass(DeliveryReply.Refused.class);
        assertEquals(org.nexusswarm.actors.protocol.RefusalCode.WRONG_RECIPIENT, refused.code());
        entityC.inputs().expectNoMessage();
        assertFalse(status(supervisor).quarantined());
    }

    private static EntityStatus status(ActorRef<EntityCommand> supervisor) {
        TestProbe<EntityStatus> probe = testKit.createTestProbe();
        supervisor.tell(new GetStatus(probe.ref()));
        return probe.expectMessageClass(EntityStatus.class);
    }
}
