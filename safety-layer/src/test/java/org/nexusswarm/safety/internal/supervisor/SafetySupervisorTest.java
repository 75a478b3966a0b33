package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.testkit.query.scaladsl.PersistenceTestKitReadJournal;
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
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.EntityCommand;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.GetStatus;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.memory.chronotope.HashChain;
import org.nexusswarm.memory.chronotope.HybridLogicalClock;
import org.nexusswarm.memory.journal.JournalEntry;
import org.nexusswarm.memory.journal.JournalReader;
import org.nexusswarm.safety.api.credential.Credential;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionAllowed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionDenied;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionProposed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Killed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Observed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Refused;
import org.nexusswarm.safety.internal.supervisor.SafetyFixture.Deployed;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Act;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.LogicStarted;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Note;

/**
 * The safety supervisor as an event-sourced behaviour: what it journals, answers and hands to its logic for
 * every kind of input, and that quarantine survives a restart.
 */
@ExtendWith(LogCapturingExtension.class)
class SafetySupervisorTest {

    private static final String ALLOWED = "compute.request";
    private static final String FORBIDDEN = "funds.transfer";
    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.ORCHESTRATOR, "tally-1");

    private static ActorTestKit testKit;
    private static SafetyFixture fixture;

    private TestProbe<Deliver> router;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("SafetySupervisorTest", EventSourcedBehaviorTestKit.config()
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.load("application-test")));
        fixture = new SafetyFixture(testKit);
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void installRouter() {
        router = testKit.createTestProbe();
        ActorRef<Deliver> ref = router.ref();
        fixture.registry.useRouter((target, deliver) -> ref.tell(deliver));
    }

    /** A supervisor under the testkit whose logic has started; the logic's ref is returned alongside. */
    private record Running(Deployed entity, EventSourcedBehaviorTestKit<EntityCommand, SafetyEvent, SupervisorState> kit,
            ActorRef<?> logic) {}

    private static Running run(Deployed entity) {
        EventSourcedBehaviorTestKit<EntityCommand, SafetyEvent, SupervisorState> kit =
                EventSourcedBehaviorTestKit.create(testKit.system(), SafetySupervisor.create(entity.address()));
        LogicStarted started = entity.starts().expectMessageClass(LogicStarted.class);
        assertEquals(entity.address(), started.entity());
        return new Running(entity, kit, started.logic());
    }

    private static Running run(List<String> allowed) {
        return run(fixture.deploy("agent", allowed));
    }

    private static CommandResultWithReply<EntityCommand, SafetyEvent, SupervisorState, DeliveryReply> deliver(
            Running r, SignedEnvelope envelope) {
        return r.kit().<DeliveryReply>runCommand(replyTo -> new Deliver(envelope, replyTo));
    }

    private static List<SafetyEvent> journal(Running r) {
        return SupervisorHarness.decisions(fullJournal(r));
    }

    private static List<SafetyEvent> fullJournal(Running r) {
        return r.kit().persistenceTestKit().persistedInStorage(r.entity().persistenceId()).stream()
                .map(SafetyEvent.class::cast).toList();
    }

    private static List<Class<?>> types(List<SafetyEvent> events) {
        return SupervisorHarness.types(events);
    }

    /** Delivers an {@link Act} from the operator and waits until the logic has the resulting outcome. */
    private static AgentInput.Outcome act(Running r, String intentId, String actionClass, EntityAddress target) {
        var result = deliver(r, fixture.fromOperator(r.entity().address(),
                new Act(intentId, actionClass, target, "payload of " + intentId)));
        assertInstanceOf(DeliveryReply.Accepted.class, result.reply());
        assertInstanceOf(AgentInput.Inbound.class, r.entity().inputs().receiveMessage());
        AgentInput.Outcome outcome = r.entity().inputs().expectMessageClass(AgentInput.Outcome.class);
        assertEquals(intentId, outcome.intentId());
        return outcome;
    }

    @Test
    void aWellSignedEnvelopeFromAnAdmittedSenderIsObservedAndHandedToTheLogic() {
        Running r = run(List.of(ALLOWED));
        SignedEnvelope envelope = fixture.fromOperator(r.entity().address(), new Note("hello"));

        var result = deliver(r, envelope);

        assertEquals(new DeliveryReply.Accepted(r.entity().address().toString(), 2), result.reply());
        assertEquals(1, SupervisorHarness.decisions(result.events()).size());
        Observed observed = assertInstanceOf(Observed.class, SupervisorHarness.decisions(result.events()).get(0));
        assertEquals(SafetyFixture.OPERATOR, observed.sender());
        assertEquals(fixture.operator.did().value(), observed.senderDid());
        assertEquals("Note", observed.payloadType());
        assertEquals(envelope.nonce(), observed.nonce());
        assertEquals(2, observed.chronotope().sequence());
        assertEquals(SafetyFixture.PLACE, observed.chronotope().place());
        assertEquals(HashChain.sha256Hex(envelope.signedBytes()), observed.chronotope().inputDigest());
        assertEquals(HashChain.hashOf(result.events().get(0)), observed.chronotope().previousHash(), "links to Started");
        SupervisorState.Active state = assertInstanceOf(SupervisorState.Active.class, result.state());
        assertEquals(2, state.chain().sequence());
        assertEquals(HashChain.hashOf(observed), state.chain().lastHash());
        Inputs.expectInbound(r.entity().inputs(), SafetyFixture.OPERATOR, new Note("hello"));
        router.expectNoMessage();
    }

    @Test
    void theObservedClockIsPushedPastTheSendersClock() {
        Running r = run(List.of(ALLOWED));
        // Ahead of this node's clock, but within the allowed skew (further ahead is STALE, see InboundTest).
        long skew = fixture.registry.settings().maxClockSkew().toMillis();
        long future = HybridLogicalClock.pack(System.currentTimeMillis() + skew / 2, 17);
        SignedEnvelope envelope = SignedEnvelope.sign(fixture.operator, SafetyFixture.OPERATOR,
                r.entity().address().toString(), 1, future, SafetyFixture.PAYLOADS.toBytes(new Note("later")));

        Observed observed = (Observed) SupervisorHarness.decisions(deliver(r, envelope).events()).get(0);

        assertTrue(observed.chronotope().hlc() > future, "causally after the message it observes");
        var next = deliver(r, fixture.fromOperator(r.entity().address(), new Note("next")));
        assertTrue(SupervisorHarness.decisions(next.events()).get(0).chronotope().hlc() > observed.chronotope().hlc());
    }

    /** Each refusal case: a name, the expected code, and how to build the bad envelope for an entity. */
    static Stream<Arguments> refusals() {
        BiFunction<SafetyFixture, EntityAddress, SignedEnvelope> badSignature = (f, to) ->
                f.fromOperator(to, new Note("x")).withSignature(Ed25519.generate().sign(new byte[] {1}));
        BiFunction<SafetyFixture, EntityAddress, SignedEnvelope> tamperedPayload = (f, to) -> {
            SignedEnvelope good = f.fromOperator(to, new Note("pay 1"));
            return new SignedEnvelope(good.senderDid(), good.sender(), good.recipient(), good.nonce(), good.hlc(),
                    SafetyFixture.PAYLOADS.toBytes(new Note("pay 1000")), good.signature());
        };
        BiFunction<SafetyFixture, EntityAddress, SignedEnvelope> missingSignature = (f, to) ->
                f.fromOperator(to, new Note("x")).withSignature(null);
        BiFunction<SafetyFixture, EntityAddress, SignedEnvelope> unknownSender = (f, to) ->
                f.signedBytes(Ed25519.generate(), "operator:stranger", to.toString(),
                        SafetyFixture.PAYLOADS.toBytes(new Note("x")));
        BiFunction<SafetyFixture, EntityAddress, SignedEnvelope> admittedUnderAnotherName = (f, to) ->
                f.signedBytes(f.operator, "agent:someone-else", to.toString(),
                        SafetyFixture.PAYLOADS.toBytes(new Note("x")));
        BiFunction<SafetyFixture, EntityAddress, SignedEnvelope> wrongRecipient = (f, to) ->
                f.fromOperator(EntityAddress.of(EntityKind.AGENT, "not-" + to.id()), new Note("x"));
        BiFunction<SafetyFixture, EntityAddress, SignedEnvelope> oversized = (f, to) ->
                f.signedBytes(f.operator, SafetyFixture.OPERATOR, to.toString(),
                        new byte[f.registry.settings().maxPayloadBytes() + 1]);
        BiFunction<SafetyFixture, EntityAddress, SignedEnvelope> unregisteredType = (f, to) -> {
            Kryo foreign = new Kryo();
            foreign.register(TestPayloads.Unlisted.class, 9999);
            Output out = new Output(64, -1);
            foreign.writeClassAndObject(out, new TestPayloads.Unlisted("gadget"));
            return f.signedBytes(f.operator, SafetyFixture.OPERATOR, to.toString(), out.toBytes());
        };
        BiFunction<SafetyFixture, EntityAddress, SignedEnvelope> notAMessage = (f, to) ->
                f.signedBytes(f.operator, SafetyFixture.OPERATOR, to.toString(),
                        SafetyFixture.PAYLOADS.toBytes("a plain string"));
        BiFunction<SafetyFixture, EntityAddress, SignedEnvelope> forgedLength = (f, to) ->
                f.signedBytes(f.operator, SafetyFixture.OPERATOR, to.toString(),
                        new byte[] {22, (byte) 0xF7, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07});
        // EntityAddress (a swarm message): its id string declares 2^31 - 2 characters in 6 bytes.
        int address = SafetyFixture.PAYLOADS.registeredClasses().get(EntityAddress.class);
        BiFunction<SafetyFixture, EntityAddress, SignedEnvelope> hugeString = (f, to) -> {
            Output out = new Output(16, -1);
            out.writeVarInt(address + 2, true);
            out.writeVarIntFlag(true, Integer.MAX_VALUE, true);
            return f.signedBytes(f.operator, SafetyFixture.OPERATOR, to.toString(), out.toBytes());
        };
        // An Intent whose parameters (a Map, read with its class) are 7,500 ArrayLists nested in each other.
        int intent = SafetyFixture.PAYLOADS.registeredClasses().get(org.nexusswarm.actors.spi.Intent.class);
        BiFunction<SafetyFixture, EntityAddress, SignedEnvelope> deeplyNested = (f, to) -> {
            Output out = new Output(16_000, -1);
            out.writeVarInt(intent + 2, true);
            out.writeString("x.y");
            out.writeString("i-1");
            for (int i = 0; i < 7_500; i++) {
                out.writeVarInt(24 + 2, true);
                out.writeVarIntFlag(false, 2, true);
            }
            out.writeVarInt(0, true);
            return f.signedBytes(f.operator, SafetyFixture.OPERATOR, to.toString(), out.toBytes());
        };
        return Stream.of(
                Arguments.of("signature by another key", RefusalCode.BAD_SIGNATURE, badSignature),
                Arguments.of("payload changed after signing", RefusalCode.BAD_SIGNATURE, tamperedPayload),
                Arguments.of("no signature", RefusalCode.MISSING_SIGNATURE, missingSignature),
                Arguments.of("sender DID not admitted", RefusalCode.UNKNOWN_SENDER, unknownSender),
                Arguments.of("DID admitted under another name", RefusalCode.UNKNOWN_SENDER, admittedUnderAnotherName),
                Arguments.of("addressed to another entity", RefusalCode.WRONG_RECIPIENT, wrongRecipient),
                Arguments.of("payload over the size limit", RefusalCode.OVERSIZED, oversized),
                Arguments.of("payload class id 9999", RefusalCode.UNREGISTERED_TYPE, unregisteredType),
                Arguments.of("payload not a swarm message", RefusalCode.UNREGISTERED_TYPE, notAMessage),
                Arguments.of("byte[] declaring 2 GB", RefusalCode.UNREGISTERED_TYPE, forgedLength),
                Arguments.of("string declaring 2^31 characters", RefusalCode.UNREGISTERED_TYPE, hugeString),
                Arguments.of("15 KB of nested lists", RefusalCode.UNREGISTERED_TYPE, deeplyNested));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("refusals")
    void aBadEnvelopeIsRefusedJournaledOnceAndNeverReachesTheLogic(String name, RefusalCode code,
            BiFunction<SafetyFixture, EntityAddress, SignedEnvelope> envelope) {
        Running r = run(List.of(ALLOWED));
        deliver(r, fixture.fromOperator(r.entity().address(), new Note("warm-up")));
        r.entity().inputs().expectMessageClass(AgentInput.Inbound.class);
        long before = r.kit().getState().chain().sequence();
        SignedEnvelope bad = envelope.apply(fixture, r.entity().address());

        var result = deliver(r, bad);

        DeliveryReply.Refused reply = assertInstanceOf(DeliveryReply.Refused.class, result.reply());
        assertEquals(code, reply.code(), reply.detail());
        assertEquals(r.entity().address().toString(), reply.entity());
        assertEquals(1, SupervisorHarness.decisions(result.events()).size(), "exactly one event");
        Refused refused = assertInstanceOf(Refused.class, SupervisorHarness.decisions(result.events()).get(0));
        assertEquals(code, refused.code());
        assertEquals(reply.detail(), refused.detail());
        assertEquals(bad.sender(), refused.sender());
        assertEquals(before + 1, refused.chronotope().sequence());
        assertEquals(before + 1, reply.sequence());
        assertEquals(before + 1, result.state().chain().sequence());
        assertInstanceOf(SupervisorState.Active.class, result.state(), "a refusal alone does not quarantine");
        assertEquals(0, result.state().denials(), "refused inbound envelopes are not the logic's denials");
        r.entity().inputs().expectNoMessage();
    }

    @Test
    void anAllowedIntentIsJournaledSignedWithTheEntitysKeyAndRouted() {
        Running r = run(List.of(ALLOWED));

        AgentInput.Outcome outcome = act(r, "i-1", ALLOWED, TARGET);

        assertTrue(outcome.allowed(), outcome.reason());
        assertEquals("rail:none/anything", outcome.reason(), "the deciding policy rule");
        Deliver routed = router.receiveMessage();
        SignedEnvelope envelope = routed.envelope();
        // No session key of the target is announced: the envelope is signed, not MAC'd.
        assertEquals(SignedEnvelope.ED25519, envelope.scheme());
        assertTrue(Ed25519.verify(r.entity().keys().publicKey(), envelope.signedBytes(), envelope.signature()),
                "signed with the entity's own key");
        assertEquals(r.entity().keys().did().value(), envelope.senderDid());
        assertEquals(r.entity().address().toString(), envelope.sender());
        assertEquals(TARGET.toString(), envelope.recipient());
        assertEquals(new Note("payload of i-1"), SafetyFixture.message(envelope));

        List<SafetyEvent> events = journal(r);
        assertEquals(List.of(Observed.class, ActionProposed.class, ActionAllowed.class), types(events));
        ActionProposed proposed = (ActionProposed) events.get(1);
        assertEquals("i-1", proposed.intentId());
        assertEquals(ALLOWED, proposed.actionClass());
        assertEquals(TARGET.toString(), proposed.target());
        assertEquals("Note", proposed.payloadType());
        assertEquals(ProbeLogic.VERSION, proposed.logicVersion());
        assertEquals(Map.of(), proposed.parameters(), "no parameters");
        ActionAllowed allowed = (ActionAllowed) events.get(2);
        assertEquals("i-1", allowed.intentId());
        assertEquals("rail:none/anything", allowed.rule());
        assertEquals("rail:none@1", allowed.policyVersion());
        assertEquals(0.0, allowed.envelopeUse());
        assertEquals(envelope.nonce(), allowed.chronotope().sequence(), "nonce = the allowing event's sequence");
        assertEquals(envelope.hlc(), allowed.chronotope().hlc());
        // The digest is of the logic's payload; the envelope wraps it in the chain of its cause (the operator).
        assertEquals(HashChain.sha256Hex(SafetyFixture.PAYLOADS.toBytes(new Note("payload of i-1"))),
                allowed.chronotope().inputDigest());
        assertEquals(new org.nexusswarm.safety.internal.provenance.ProvenanceFrame(List.of(SafetyFixture.OPERATOR),
                SafetyFixture.PAYLOADS.toBytes(new Note("payload of i-1"))),
                SafetyFixture.PAYLOADS.fromBytes(envelope.payload()));

        // The target's acknowledgement reaches the supervisor and changes nothing in its journal.
        routed.replyTo().tell(new DeliveryReply.Accepted(TARGET.toString(), 1));
        var status = r.kit().<EntityStatus>runCommand(GetStatus::new);
        assertEquals(4, status.reply().lastSequence());
        assertTrue(status.hasNoEvents());
    }

    @Test
    void aDisallowedIntentIsDeniedAndTheLogicIsTold() {
        Running r = run(List.of(ALLOWED));

        AgentInput.Outcome outcome = act(r, "i-2", FORBIDDEN, TARGET);

        assertFalse(outcome.allowed());
        assertTrue(outcome.reason().startsWith("NOT_IN_CREDENTIAL"), outcome.reason());
        List<SafetyEvent> events = journal(r);
        assertEquals(List.of(Observed.class, ActionProposed.class, ActionDenied.class), types(events));
        ActionDenied denied = (ActionDenied) events.get(2);
        assertEquals(RefusalCode.NOT_IN_CREDENTIAL, denied.code());
        assertEquals("i-2", denied.intentId());
        assertEquals(1, denied.denials());
        assertEquals("rail:none@1", denied.policyVersion(), "denials name the policies in force too");
        SupervisorState state = r.kit().getState();
        assertInstanceOf(SupervisorState.Active.class, state);
        assertEquals(1, state.denials());
        router.expectNoMessage();
    }

    @Test
    void anIntentWithoutTargetIsDenied() {
        Running r = run(List.of(ALLOWED));
        AgentInput.Outcome outcome = act(r, "i-3", ALLOWED, null);
        assertFalse(outcome.allowed());
        assertTrue(outcome.reason().contains("names no target"), outcome.reason());
        router.expectNoMessage();
    }

    @Test
    void anIntentWithoutActionClassIsDeniedWithoutUpsettingTheSupervisor() {
        Running r = run(List.of(ALLOWED));

        AgentInput.Outcome outcome = act(r, "i-4", null, TARGET);

        assertFalse(outcome.allowed());
        assertTrue(outcome.reason().startsWith("NOT_IN_CREDENTIAL") && outcome.reason().contains("no action class"),
                outcome.reason());
        assertEquals(List.of(Observed.class, ActionProposed.class, ActionDenied.class), types(journal(r)));
        assertInstanceOf(SupervisorState.Active.class, r.kit().getState());
        r.entity().starts().expectNoMessage(); // the supervisor did not fail and restart its logic
        router.expectNoMessage();
    }

    @Test
    void theMaxDenialsthDenialKillsTheLogicAndQuarantinesForGood() {
        Running r = run(List.of(ALLOWED));
        int max = fixture.registry.settings().maxDenials();
        assertEquals(3, max, "reference.conf default");
        for (int i = 1; i < max; i++) {
            assertFalse(act(r, "deny-" + i, FORBIDDEN, TARGET).allowed());
        }
        var last = deliver(r, fixture.fromOperator(r.entity().address(), new Act("deny-" + max, FORBIDDEN, TARGET, "x")));
        assertInstanceOf(DeliveryReply.Accepted.class, last.reply());
        r.entity().inputs().expectMessageClass(AgentInput.Inbound.class);
        r.entity().starts().expectTerminated(r.logic(), Duration.ofSeconds(3));
        r.entity().inputs().expectNoMessage(); // no outcome for the killing denial: the logic is gone

        List<SafetyEvent> events = journal(r);
        assertEquals(3 * max + 1, events.size());
        assertEquals(List.of(Observed.class, ActionProposed.class, ActionDenied.class, Killed.class),
                types(events.subList(events.size() - 4, events.size())));
        assertEquals(max, ((ActionDenied) events.get(events.size() - 2)).denials());
        Killed killed = (Killed) events.get(events.size() - 1);
        assertEquals("safety-layer", killed.by());
        SupervisorState.Quarantined quarantined =
                assertInstanceOf(SupervisorState.Quarantined.class, r.kit().getState());
        assertEquals(killed.reason(), quarantined.reason());
        assertEquals(max, quarantined.denials());

        // Quarantined: every delivery is refused and journaled; nothing reaches a logic.
        var refused = deliver(r, fixture.fromOperator(r.entity().address(), new Note("anyone there?")));
        assertEquals(RefusalCode.QUARANTINED, assertInstanceOf(DeliveryReply.Refused.class, refused.reply()).code());
        assertEquals(List.of(Refused.class), types(refused.events()));
        var killAgain = r.kit().<EntityStatus>runCommand(replyTo -> fixture.kill(r.entity().address(), "again", replyTo));
        assertTrue(killAgain.reply().quarantined());
        assertEquals(List.of(SafetyEvent.OperatorCommandTaken.class), types(killAgain.events()),
                "killing a quarantined entity journals only that the command was taken");

        // Quarantine is state, recovered from the journal: a restart keeps it and starts no logic.
        var restarted = r.kit().restart();
        assertInstanceOf(SupervisorState.Quarantined.class, restarted.state());
        r.entity().starts().expectNoMessage();
        var afterRestart = deliver(r, fixture.fromOperator(r.entity().address(), new Note("after restart")));
        assertEquals(RefusalCode.QUARANTINED,
                assertInstanceOf(DeliveryReply.Refused.class, afterRestart.reply()).code());
        EntityStatus status = r.kit().<EntityStatus>runCommand(GetStatus::new).reply();
        assertTrue(status.quarantined());
        assertEquals(max, status.denials());
        assertEquals(3 * max + 6, status.lastSequence(), "the second kill's command was taken (journaled)");
        r.entity().inputs().expectNoMessage();
    }

    @Test
    void restartingAnActiveEntityRespawnsItsLogicAndContinuesTheChain() {
        Running r = run(List.of(ALLOWED));
        deliver(r, fixture.fromOperator(r.entity().address(), new Note("one")));
        // The logic child runs on its own dispatcher: let it take "one" before its parent restarts under it.
        Inputs.expectInbound(r.entity().inputs(), SafetyFixture.OPERATOR, new Note("one"));
        SupervisorState before = r.kit().getState();

        var restarted = r.kit().restart();

        assertEquals(before, restarted.state(), "recovery rebuilds the same state");
        LogicStarted again = r.entity().starts().expectMessageClass(LogicStarted.class);
        var next = deliver(r, fixture.fromOperator(r.entity().address(), new Note("two")));
        // The new incarnation of the logic opens with Started (it lost its memory), then the observation.
        SafetyEvent.Started restartedLogic = assertInstanceOf(SafetyEvent.Started.class, next.events().get(0));
        assertEquals(3, restartedLogic.chronotope().sequence());
        assertEquals(before.chain().lastHash(), restartedLogic.chronotope().previousHash());
        assertEquals(4, SupervisorHarness.decisions(next.events()).get(0).chronotope().sequence());
        Inputs.expectInbound(r.entity().inputs(), SafetyFixture.OPERATOR, new Note("two"));
        assertFalse(again.logic().equals(r.logic()), "a fresh logic actor");
    }

    @Test
    void unauthenticatedSenderTextIsClippedBeforeItIsJournaled() {
        Running r = run(List.of(ALLOWED));
        String hugeSender = "feed:" + "x".repeat(10_000);
        SignedEnvelope junk = fixture.signedBytes(Ed25519.generate(), hugeSender, r.entity().address().toString(),
                SafetyFixture.PAYLOADS.toBytes(new Note("junk")));

        var result = deliver(r, junk);

        assertEquals(RefusalCode.UNKNOWN_SENDER, assertInstanceOf(DeliveryReply.Refused.class, result.reply()).code());
        Refused refused = assertInstanceOf(Refused.class, SupervisorHarness.decisions(result.events()).get(0));
        assertTrue(refused.sender().length() <= 201, "clipped: " + refused.sender().length());
        assertTrue(refused.sender().startsWith("feed:xxx"));
    }

    @Test
    void aLogicWhoseStepThrowsIsAJournaledFaultKilledAndQuarantined() {
        Running r = run(List.of(ALLOWED));
        TestProbe<Object> watcher = testKit.createTestProbe();
        // A pure step that threw once throws again on the same state and input: the first failure is a fault.
        var result = deliver(r, fixture.fromOperator(r.entity().address(), new TestPayloads.Crash("#1")));
        assertInstanceOf(DeliveryReply.Accepted.class, result.reply());
        watcher.expectTerminated(r.logic(), java.time.Duration.ofSeconds(10));
        watcher.awaitAssert(java.time.Duration.ofSeconds(10), () -> {
            assertInstanceOf(SupervisorState.Quarantined.class, r.kit().getState());
            return null;
        });
        SupervisorState.Quarantined q = (SupervisorState.Quarantined) r.kit().getState();
        assertTrue(q.reason().startsWith("logic fault: step threw IllegalStateException: test logic crashes: #1"),
                q.reason());
        assertInstanceOf(Killed.class, journal(r).get(journal(r).size() - 1));
    }

    @Test
    void anEpisodeOpensWithStartedAndEveryEventNamesItsCausesAndVersions() {
        Running r = run(List.of(ALLOWED));
        SignedEnvelope note = fixture.fromOperator(r.entity().address(), new Note("rain"));
        deliver(r, note);
        r.entity().inputs().expectMessageClass(AgentInput.Inbound.class);
        act(r, "ok-1", ALLOWED, TARGET);

        List<SafetyEvent> events = fullJournal(r);
        String pid = r.entity().persistenceId();
        SafetyEvent.Started started = assertInstanceOf(SafetyEvent.Started.class, events.get(0));
        assertEquals("none", started.rail());
        assertEquals(r.entity().credential().id(), started.credentialId());
        assertEquals(r.entity().credential().toJson(), started.credentialJson());
        assertEquals(ProbeLogic.VERSION, started.logicVersion());
        Observed observed = assertInstanceOf(Observed.class, events.get(1));
        assertEquals(List.of("external:" + SafetyFixture.OPERATOR), observed.chronotope().causes());
        assertArrayEquals(note.payload(), observed.payload(), "what the logic saw is journaled for replays");
        Observed act = assertInstanceOf(Observed.class, events.get(2));
        ActionProposed proposed = assertInstanceOf(ActionProposed.class, events.get(3));
        assertEquals(List.of(pid + "#" + act.chronotope().sequence()), proposed.chronotope().causes(),
                "an intent names the last input its logic saw");
        SafetyEvent.ActionAllowed allowed = assertInstanceOf(SafetyEvent.ActionAllowed.class, events.get(4));
        assertEquals(List.of(pid + "#" + proposed.chronotope().sequence()), allowed.chronotope().causes());
        for (SafetyEvent e : events) {
            assertEquals("rail:none@1", e.chronotope().policyVersion(), e.toString());
            assertEquals(ProbeLogic.VERSION, e.chronotope().logicVersion(), e.toString());
        }
    }

    @Test
    void aSignedCheckpointSealsEveryHundredEvents() {
        Running r = run(List.of(ALLOWED));
        for (int i = 0; i < 100; i++) {
            deliver(r, fixture.fromOperator(r.entity().address(), new Note("n" + i)));
        }
        List<SafetyEvent> events = fullJournal(r);
        assertEquals(102, events.size(), () -> "Started, 100 observations, then the checkpoint; got "
                + events.stream().map(e -> e.getClass().getSimpleName()).toList());
        SafetyEvent.Checkpointed checkpoint = assertInstanceOf(SafetyEvent.Checkpointed.class, events.get(100));
        assertEquals(1, checkpoint.fromSeq());
        assertEquals(100, checkpoint.toSeq());
        assertEquals(org.nexusswarm.memory.checkpoint.MerkleTree.root(events.subList(0, 100).stream()
                .map(HashChain::hashOf).toList()), checkpoint.merkleRoot());
        assertTrue(org.nexusswarm.memory.checkpoint.CheckpointSigner.signatureValid(r.entity().persistenceId(),
                checkpoint));
        assertEquals(101, r.kit().getState().memory().checkpoints().fromSeq(), "the next range starts at the checkpoint");
        assertEquals(2, r.kit().getState().memory().checkpoints().hashes().size());
    }

    @Test
    void anOperatorKillStopsTheLogicAndQuarantines() {
        Running r = run(List.of(ALLOWED));

        var result = r.kit().<EntityStatus>runCommand(replyTo -> fixture.kill(r.entity().address(), "maintenance", replyTo));

        EntityStatus status = result.reply();
        assertTrue(status.quarantined());
        assertEquals("maintenance", status.reason());
        // Started (1), the command taken (2), Killed (3) and the checkpoint that seals every kill (4).
        assertEquals(4, status.lastSequence());
        assertInstanceOf(SafetyEvent.OperatorCommandTaken.class, result.events().get(1));
        assertInstanceOf(SafetyEvent.Checkpointed.class, result.events().get(3));
        Killed killed = assertInstanceOf(Killed.class, SupervisorHarness.decisions(result.events()).get(1));
        assertEquals("operator " + SafetyFixture.OPERATOR, killed.by());
        assertInstanceOf(SupervisorState.Quarantined.class, result.state());
        r.entity().starts().expectTerminated(r.logic(), Duration.ofSeconds(3));
        var refused = deliver(r, fixture.fromOperator(r.entity().address(), new Note("x")));
        assertEquals(RefusalCode.QUARANTINED, ((DeliveryReply.Refused) refused.reply()).code());
    }

    @Test
    void theJournalIsAnUnbrokenHashChainWithAStrictlyIncreasingClock() throws Exception {
        Running r = run(List.of(ALLOWED));
        deliver(r, fixture.fromOperator(r.entity().address(), new Note("a")));
        r.entity().inputs().expectMessageClass(AgentInput.Inbound.class);
        deliver(r, fixture.fromOperator(r.entity().address(), new Note("b")).withSignature(null));
        act(r, "ok-1", ALLOWED, TARGET);
        act(r, "no-1", FORBIDDEN, TARGET);
        act(r, "ok-2", ALLOWED, TARGET);
        r.kit().<EntityStatus>runCommand(replyTo -> fixture.kill(r.entity().address(), "end of test", replyTo));

        List<SafetyEvent> events = fullJournal(r);
        assertEquals(15, events.size(), "Started, 11 decisions and observations, the kill command taken, Killed's "
                + "checkpoint: " + events);
        assertInstanceOf(SafetyEvent.Started.class, events.get(0), "the episode opens with Started");
        String previous = HashChain.GENESIS;
        long hlc = 0;
        for (int i = 0; i < events.size(); i++) {
            SafetyEvent e = events.get(i);
            assertEquals(i + 1, e.chronotope().sequence(), "consecutive sequences");
            assertEquals(previous, e.chronotope().previousHash(), "event " + (i + 1) + " links to its predecessor");
            assertTrue(e.chronotope().hlc() > hlc, "strictly increasing HLC at event " + (i + 1));
            previous = HashChain.hashOf(e);
            hlc = e.chronotope().hlc();
        }
        SupervisorState state = r.kit().getState();
        assertEquals(new SupervisorState.ChainHead(15, hlc, previous), state.chain());
        SafetyEvent.Checkpointed seal = assertInstanceOf(SafetyEvent.Checkpointed.class, events.get(14));
        assertEquals(1, seal.fromSeq());
        assertEquals(14, seal.toSeq());
        assertEquals(org.nexusswarm.memory.checkpoint.MerkleTree.root(events.subList(0, 14).stream()
                .map(HashChain::hashOf).toList()), seal.merkleRoot());
        assertTrue(org.nexusswarm.memory.checkpoint.CheckpointSigner.signatureValid(r.entity().persistenceId(), seal));

        List<JournalEntry> read = new JournalReader(testKit.system(), PersistenceTestKitReadJournal.Identifier())
                .readAll(r.entity().persistenceId()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(15, read.size());
        assertTrue(read.stream().allMatch(JournalEntry::chainIntact), "the reviewer's reader agrees");
        assertEquals("OperatorCommandTaken", read.get(12).type());
        assertEquals("Killed", read.get(13).type());
    }

    static Stream<Arguments> credentialsOutsideTheirWindow() {
        BiFunction<SafetyFixture, SwarmKeyPair, Credential> expired = (f, keys) -> {
            long now = System.currentTimeMillis();
            return Credential.issue(f.issuer, "old", keys.did(), List.of(ALLOWED), now - 7_200_000, now - 3_600_000);
        };
        BiFunction<SafetyFixture, SwarmKeyPair, Credential> notYetValid = (f, keys) -> {
            long now = System.currentTimeMillis();
            return Credential.issue(f.issuer, "future", keys.did(), List.of(ALLOWED), now + 3_600_000, now + 7_200_000);
        };
        return Stream.of(
                Arguments.of("expired", expired, RefusalCode.EXPIRED, "expired at"),
                Arguments.of("not yet valid", notYetValid, RefusalCode.NOT_YET_VALID, "not valid before"));
    }

    /**
     * A credential whose signatures verify but whose validity window excludes now: the logic runs (the window can
     * open, or the credential be renewed), but every intent is denied. Credentials that do not verify never start
     * their logic at all ({@link KillMeansNoEffectTest}).
     */
    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("credentialsOutsideTheirWindow")
    void aCredentialOutsideItsWindowDeniesEveryIntent(String name,
            BiFunction<SafetyFixture, SwarmKeyPair, Credential> credential, RefusalCode code, String problem) {
        Running r = run(fixture.deploy(SafetyFixture.freshAddress("agent"), keys -> credential.apply(fixture, keys),
                null));

        AgentInput.Outcome outcome = act(r, "i-1", ALLOWED, TARGET);

        assertFalse(outcome.allowed());
        assertTrue(outcome.reason().startsWith(code + ": ") && outcome.reason().contains(problem), outcome.reason());
        ActionDenied denied = (ActionDenied) journal(r).get(2);
        assertEquals(code, denied.code());
        router.expectNoMessage();
        // Inbound messages are still accepted: the credential governs what the entity may do, not hear.
        assertInstanceOf(DeliveryReply.Accepted.class,
                deliver(r, fixture.fromOperator(r.entity().address(), new Note("still listening"))).reply());
    }

    @Test
    void anAddressWithoutDeploymentIsRefusedWithoutAJournal() {
        EntityAddress nobody = SafetyFixture.freshAddress("nobody");
        ActorRef<EntityCommand> standIn = testKit.spawn(SafetySupervisor.create(nobody));
        TestProbe<DeliveryReply> replies = testKit.createTestProbe();

        standIn.tell(new Deliver(fixture.fromOperator(nobody, new Note("hello?")), replies.ref()));

        DeliveryReply.Refused refused = replies.expectMessageClass(DeliveryReply.Refused.class);
        assertEquals(RefusalCode.NOT_DEPLOYED, refused.code());
        assertEquals(0, refused.sequence());
        TestProbe<EntityStatus> status = testKit.createTestProbe();
        standIn.tell(new GetStatus(status.ref()));
        EntityStatus s = status.expectMessageClass(EntityStatus.class);
        assertFalse(s.quarantined());
        assertEquals(nobody, s.address());
        standIn.tell(fixture.kill(nobody, "x", status.ref()));
        assertFalse(status.expectMessageClass(EntityStatus.class).quarantined(), "nothing to kill");
        assertTrue(org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit.create(testKit.system())
                .persistedInStorage(nobody.persistenceId()).isEmpty());
        testKit.stop(standIn);
    }

    @Test
    void aJournalFailureRestartsTheSupervisorWhichRecoversAndRespawnsItsLogic() {
        Deployed entity = fixture.deploy("flaky", List.of(ALLOWED));
        org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit journal =
                org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit.create(testKit.system());
        ActorRef<EntityCommand> supervisor = testKit.spawn(SafetySupervisor.create(entity.address()));
        LogicStarted first = entity.starts().expectMessageClass(LogicStarted.class);
        TestProbe<DeliveryReply> replies = testKit.createTestProbe();
        supervisor.tell(new Deliver(fixture.fromOperator(entity.address(), new Note("kept")), replies.ref()));
        replies.expectMessage(new DeliveryReply.Accepted(entity.address().toString(), 2));
        // The logic child runs on its own dispatcher: let it take "kept" before its parent restarts under it.
        Inputs.expectInbound(entity.inputs(), SafetyFixture.OPERATOR, new Note("kept"));

        journal.failNextPersisted(entity.persistenceId());
        supervisor.tell(new Deliver(fixture.fromOperator(entity.address(), new Note("lost")), replies.ref()));

        // The failed write is neither answered nor handed to the logic; the supervisor restarts with backoff.
        entity.starts().expectTerminated(first.logic(), Duration.ofSeconds(3));
        LogicStarted second = entity.starts().expectMessageClass(LogicStarted.class, Duration.ofSeconds(5));
        assertFalse(second.logic().equals(first.logic()));
        supervisor.tell(new Deliver(fixture.fromOperator(entity.address(), new Note("after")), replies.ref()));
        DeliveryReply reply = replies.expectMessageClass(DeliveryReply.class, Duration.ofSeconds(5));
        // Started (1), "kept" (2), and after the restart the new logic's Started (3) and "after" (4).
        assertEquals(new DeliveryReply.Accepted(entity.address().toString(), 4), reply);
        Inputs.expectInbound(entity.inputs(), SafetyFixture.OPERATOR, new Note("after"));
        testKit.stop(supervisor);
    }

    @Test
    void getStatusReportsTheChainHeadAndJournalsNothing() {
        Running r = run(List.of(ALLOWED));
        deliver(r, fixture.fromOperator(r.entity().address(), new Note("x")));
        var result = r.kit().<EntityStatus>runCommand(GetStatus::new);
        assertEquals(new EntityStatus(r.entity().address(), false, 0, 2, ""), result.reply());
        assertTrue(result.hasNoEvents());
    }

    @Test
    void theEnvelopeSentForAnAllowedIntentIsAcceptedByItsTarget() {
        Running a = run(List.of(ALLOWED));
        Deployed b = fixture.deploy("target", List.of());
        act(a, "i-1", ALLOWED, b.address());
        SignedEnvelope envelope = router.receiveMessage().envelope();
        assertTrue(envelope.isMacked(), "deployment announced the target's session key: MAC'd, not signed");

        var sessions = new org.nexusswarm.safety.internal.auth.SessionAuthenticator(
                fixture.registry.services().sessionKeys(b.address()), fixture.registry.services().peerKeys());
        EnvelopeAuthenticator authenticator = new EnvelopeAuthenticator(fixture.registry.identities(), sessions,
                SafetyFixture.PAYLOADS, fixture.registry.settings());
        var result = authenticator.check(envelope, b.address(), org.nexusswarm.safety.internal.auth.ReplayGuard.empty(),
                System.currentTimeMillis());

        // The operator's message caused the intent: the chain travels with it, the target's logic gets the note.
        assertEquals(new EnvelopeAuthenticator.Authentic(new Note("payload of i-1"), List.of(SafetyFixture.OPERATOR)),
                result);
        assertArrayEquals(envelope.payload(), SafetyFixture.PAYLOADS.toBytes(new org.nexusswarm.safety.internal.provenance
                .ProvenanceFrame(List.of(SafetyFixture.OPERATOR), SafetyFixture.PAYLOADS.toBytes(
                        new Note("payload of i-1")))));
    }
}
