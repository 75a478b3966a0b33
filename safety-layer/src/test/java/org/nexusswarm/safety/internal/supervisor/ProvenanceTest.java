package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.EntityCommand;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.internal.provenance.CauseChain;
import org.nexusswarm.safety.internal.provenance.ProvenanceFrame;
import org.nexusswarm.safety.api.registry.EntitySpec;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionAllowed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionDenied;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Observed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Refused;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Act;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.LogicStarted;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Note;

/**
 * Laundering an action class through a second agent (issue 8 item 10): A lacks {@code funds.transfer}, asks B (who
 * has it) by message, and B's logic proposes it. Real supervisors in one actor system, wired by a router; every
 * message crosses the Kryo serializer. A {@code require-provenance} rule denies B's intent ({@code PROVENANCE}, the
 * chain in the journaled denial); without the rule, or with too few hops, the same exchange is allowed. The chain
 * is built by the supervisors and travels inside the authenticated bytes, so neither B's logic nor anyone on the
 * wire can strip it.
 */
@ExtendWith(LogCapturingExtension.class)
class ProvenanceTest {

    private static final String X = "funds.transfer";
    private static final String ASK = "chat.ask";
    private static final String ACK = "chat.ack";
    private static final EntityAddress VAULT = EntityAddress.of(EntityKind.NODE, "vault");
    private static final AtomicInteger IDS = new AtomicInteger();

    private static ActorTestKit testKit;
    private static SafetyFixture fixture;

    @BeforeAll
    static void start() {
        testKit = SafetyFixture.journaledTestKit("ProvenanceTest");
        fixture = new SafetyFixture(testKit);
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @AfterEach
    void reset() {
        fixture.resetServices();
    }

    /** Every action allowed by policy except X, which needs its cause chain to hold it within {@code hops}. */
    private static Policy guarded(int hops) {
        return SafetyFixture.policy(1, "rules {\n anything { action = \"*\" }\n"
                + " launder-guard { action = \"" + X + "\", require-provenance { hops = " + hops + " } }\n}");
    }

    /** One deployed, running entity. */
    private record Member(EntityAddress address, SwarmKeyPair keys, TestProbe<AgentInput> inputs) {}

    /** Supervisors wired by a router that records (and may tamper with) every envelope between them. */
    private static final class Swarm {
        final Map<EntityAddress, ActorRef<EntityCommand>> supervisors = new ConcurrentHashMap<>();
        final List<Deliver> routed = new CopyOnWriteArrayList<>();
        volatile UnaryOperator<Deliver> tamper = UnaryOperator.identity();
        final TestProbe<DeliveryReply> replies = testKit.createTestProbe();

        Swarm() {
            fixture.registry.useRouter((target, deliver) -> {
                Deliver d = tamper.apply(new Deliver(deliver.envelope(), replies.ref()));
                routed.add(d);
                ActorRef<EntityCommand> supervisor = supervisors.get(target);
                if (supervisor != null) {
                    supervisor.tell(d);
                }
            });
        }

        Member deploy(String name, List<String> allowed, RelayLogic.Plan plan) {
            EntityAddress address = EntityAddress.of(EntityKind.AGENT, name + "-" + IDS.incrementAndGet());
            SwarmKeyPair keys = Ed25519.generate();
            TestProbe<AgentInput> inputs = testKit.createTestProbe();
            TestProbe<LogicStarted> starts = testKit.createTestProbe();
            fixture.registry.deploy(new EntitySpec(address, SafetyFixture.PLACE, keys, fixture.credential(keys, allowed),
                    new RelayLogic(plan, inputs.ref(), starts.ref())));
            supervisors.put(address, testKit.spawn(SafetySupervisor.create(address), "supervisor-" + address.id()));
            starts.expectMessageClass(LogicStarted.class);
            return new Member(address, keys, inputs);
        }

        /** The operator tells {@code m}'s logic to act: {@code m} asks {@code to} with a note {@code text}. */
        void operatorAsks(Member m, EntityAddress to, String text) {
            TestProbe<DeliveryReply> operator = testKit.createTestProbe();
            supervisors.get(m.address()).tell(new Deliver(fixture.fromOperator(m.address(),
                    new Act("ask-" + text, ASK, to, text)), operator.ref()));
            operator.expectMessageClass(DeliveryReply.Accepted.class);
        }
    }

    private static AgentInput.Outcome outcome(Member m, String intentId) {
        return (AgentInput.Outcome) m.inputs().fishForMessage(Duration.ofSeconds(5), i ->
                i instanceof AgentInput.Outcome o && o.intentId().equals(intentId) ? FishingOutcomes.complete()
                        : FishingOutcomes.continueAndIgnore()).get(0);
    }

    private static List<SafetyEvent> journal(Member m) {
        return PersistenceTestKit.create(testKit.system()).persistedInStorage(m.address().persistenceId()).stream()
                .map(SafetyEvent.class::cast).toList();
    }

    private static <T extends SafetyEvent> T last(Member m, Class<T> type) {
        List<SafetyEvent> events = journal(m);
        for (int i = events.size() - 1; i >= 0; i--) {
            if (type.isInstance(events.get(i))) {
                return type.cast(events.get(i));
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + events);
    }

    /**
     * The cause chain journaled with {@code m}'s last Observed: its authenticated sender, then the chain inside the
     * payload bytes as received.
     */
    private static List<String> observedChain(Member m) {
        Observed o = last(m, Observed.class);
        List<String> chain = new ArrayList<>(List.of(o.sender()));
        if (SafetyFixture.PAYLOADS.fromBytes(o.payload()) instanceof ProvenanceFrame frame) {
            chain.addAll(frame.upstream());
        }
        return chain;
    }

    private static List<EntityAddress> routedTo(Swarm swarm) {
        return swarm.routed.stream().map(d -> EntityAddress.parse(d.envelope().recipient())).toList();
    }

    // ---- one hop: A -> B -> X ------------------------------------------------------------------------------

    @Test
    void anAgentThatLacksXCannotLaunderItThroughOneThatHasIt() {
        fixture.usePolicies(guarded(1));
        Swarm swarm = new Swarm();
        Member b = swarm.deploy("b", List.of(X), RelayLogic.Plan.relay(X, VAULT));
        Member a = swarm.deploy("a", List.of(ASK), RelayLogic.Plan.none());

        swarm.operatorAsks(a, b.address(), "pay-1");

        AgentInput.Outcome atB = outcome(b, "relay-pay-1");
        assertFalse(atB.allowed(), atB.reason());
        assertTrue(atB.reason().startsWith("PROVENANCE: "), atB.reason());
        ActionDenied denied = last(b, ActionDenied.class);
        assertEquals(RefusalCode.PROVENANCE, denied.code());
        assertEquals(X, denied.actionClass());
        assertTrue(denied.detail().contains("lacking: " + a.address() + " (credential "), denied.detail());
        assertTrue(denied.detail().contains("chain (newest first): " + a.address()), denied.detail());
        // B journaled the chain A's supervisor sent with the message, A first, then whoever made A ask.
        assertEquals(List.of(a.address().toString(), SafetyFixture.OPERATOR), observedChain(b));
        assertEquals(List.of(b.address()), routedTo(swarm), "only A's ask went out; nothing reached the vault");
    }

    @Test
    void withoutTheRuleTheSameLaunderingIsAllowed() {
        // The control: the permissive policy has no provenance rule, and B's credential allows X.
        Swarm swarm = new Swarm();
        Member b = swarm.deploy("b", List.of(X), RelayLogic.Plan.relay(X, VAULT));
        Member a = swarm.deploy("a", List.of(ASK), RelayLogic.Plan.none());

        swarm.operatorAsks(a, b.address(), "pay-2");

        AgentInput.Outcome atB = outcome(b, "relay-pay-2");
        assertTrue(atB.allowed(), atB.reason());
        assertEquals(X, last(b, ActionAllowed.class).actionClass());
        assertEquals(List.of(b.address(), VAULT), routedTo(swarm));
    }

    @Test
    void whenTheAskingAgentHoldsXTooTheRuleAllowsIt() {
        fixture.usePolicies(guarded(1));
        Swarm swarm = new Swarm();
        Member b = swarm.deploy("b", List.of(X), RelayLogic.Plan.relay(X, VAULT));
        Member a = swarm.deploy("a", List.of(ASK, X), RelayLogic.Plan.none());

        swarm.operatorAsks(a, b.address(), "pay-3");

        AgentInput.Outcome atB = outcome(b, "relay-pay-3");
        assertTrue(atB.allowed(), atB.reason());
        assertEquals("rail:none/launder-guard", last(b, ActionAllowed.class).rule());
    }

    @Test
    void actingOnTheOutcomeOfAnAllowedReplyInheritsTheChain() {
        // B first answers A (allowed), then does X when told its answer went out: the outcome was caused by A's ask.
        fixture.usePolicies(guarded(1));
        Swarm swarm = new Swarm();
        Member b = swarm.deploy("b", List.of(ACK, X), new RelayLogic.Plan(ACK, VAULT, X, false));
        Member a = swarm.deploy("a", List.of(ASK), RelayLogic.Plan.none());

        swarm.operatorAsks(a, b.address(), "pay-4");

        assertTrue(outcome(b, "relay-pay-4").allowed());
        AgentInput.Outcome then = outcome(b, "then-relay-pay-4");
        assertFalse(then.allowed(), then.reason());
        assertEquals(RefusalCode.PROVENANCE, last(b, ActionDenied.class).code());
    }

    @Test
    void anOutsidePrincipalInTheChainLacksEveryActionClass() {
        // The operator has no credential: an X it causes directly is refused under the rule (fail closed).
        fixture.usePolicies(guarded(1));
        Swarm swarm = new Swarm();
        Member b = swarm.deploy("b", List.of(X), RelayLogic.Plan.relay(X, VAULT));
        TestProbe<DeliveryReply> replies = testKit.createTestProbe();

        swarm.supervisors.get(b.address()).tell(new Deliver(fixture.fromOperator(b.address(), new Note("pay-5")),
                replies.ref()));

        AgentInput.Outcome atB = outcome(b, "relay-pay-5");
        assertFalse(atB.allowed());
        assertTrue(last(b, ActionDenied.class).detail().contains(SafetyFixture.OPERATOR + " (no valid credential known)"));
    }

    // ---- a request kept in the logic's state ---------------------------------------------------------------

    /** A asks B; B keeps the ask in its state and acts when D (who holds X) sends it something unrelated. */
    private static Member deferredLaundering(Swarm swarm, String text) {
        Member b = swarm.deploy("b", List.of(X), RelayLogic.Plan.deferred(X, VAULT));
        Member a = swarm.deploy("a", List.of(ASK), RelayLogic.Plan.none());
        Member d = swarm.deploy("d", List.of(X), RelayLogic.Plan.none());
        swarm.operatorAsks(a, b.address(), text);
        b.inputs().fishForMessage(Duration.ofSeconds(5), i -> i instanceof AgentInput.Inbound in
                && in.from().equals(a.address().toString()) ? FishingOutcomes.complete()
                        : FishingOutcomes.continueAndIgnore());
        deliverFramed(swarm, d, b, List.of(), "tick");
        return b;
    }

    @Test
    void aRequestKeptInStateEscapesACauseOnlyRule() {
        // Documented limit of the default: the intent's cause is D's message, and D holds X.
        fixture.usePolicies(guarded(1));
        Swarm swarm = new Swarm();
        Member b = deferredLaundering(swarm, "pay-14");
        assertTrue(outcome(b, "relay-tick").allowed());
    }

    @Test
    void sinceStartTracesARequestKeptInTheLogicsState() {
        fixture.usePolicies(SafetyFixture.policy(1, "rules {\n anything { action = \"*\" }\n launder-guard { action = \""
                + X + "\", require-provenance { hops = 1, since-start = true } }\n}"));
        Swarm swarm = new Swarm();
        Member b = deferredLaundering(swarm, "pay-15");
        ActionDenied denied = outcomeDenied(b, "relay-tick");
        assertTrue(denied.detail().contains("and of every input since the logic started"), denied.detail());
        assertTrue(denied.detail().contains("lacking: agent:a-"), denied.detail());
        assertTrue(denied.detail().contains("chain (newest first): agent:d-"), denied.detail());
    }

    // ---- two hops: A -> B -> C -> X ------------------------------------------------------------------------

    private record TwoHops(Swarm swarm, Member a, Member b, Member c) {}

    private static TwoHops twoHops() {
        Swarm swarm = new Swarm();
        Member c = swarm.deploy("c", List.of(X), RelayLogic.Plan.relay(X, VAULT));
        Member b = swarm.deploy("b", List.of(ASK, X), RelayLogic.Plan.relay(ASK, c.address()));
        Member a = swarm.deploy("a", List.of(ASK), RelayLogic.Plan.none());
        return new TwoHops(swarm, a, b, c);
    }

    @Test
    void launderingThroughTwoAgentsIsDeniedWhenTheRuleLooksTwoHopsBack() {
        fixture.usePolicies(guarded(2));
        TwoHops t = twoHops();

        t.swarm().operatorAsks(t.a(), t.b().address(), "pay-6");

        assertTrue(outcome(t.b(), "relay-pay-6").allowed(), "B's relay is an ask, not X");
        AgentInput.Outcome atC = outcome(t.c(), "relay-pay-6");
        assertFalse(atC.allowed(), atC.reason());
        ActionDenied denied = last(t.c(), ActionDenied.class);
        assertEquals(RefusalCode.PROVENANCE, denied.code());
        assertTrue(denied.detail().contains("lacking: " + t.a().address() + " (credential "), denied.detail());
        assertFalse(denied.detail().contains("lacking: " + t.b().address()), "B holds X");
        assertEquals(List.of(t.b().address().toString(), t.a().address().toString(), SafetyFixture.OPERATOR),
                observedChain(t.c()));
        assertFalse(routedTo(t.swarm()).contains(VAULT));
    }

    @Test
    void withOneHopTheRuleSeesOnlyTheDirectSenderSoTwoHopLaunderingPasses() {
        // Documented limit: hops = 1 checks only who sent the message; A, two hops back, is not looked at.
        fixture.usePolicies(guarded(1));
        TwoHops t = twoHops();

        t.swarm().operatorAsks(t.a(), t.b().address(), "pay-7");

        AgentInput.Outcome atC = outcome(t.c(), "relay-pay-7");
        assertTrue(atC.allowed(), atC.reason());
        assertTrue(routedTo(t.swarm()).contains(VAULT));
    }

    // ---- the chain cannot be stripped or forged ------------------------------------------------------------

    @Test
    void theForwardingSupervisorNotItsLogicBuildsTheChainSentOn() {
        // B's logic relays a plain note; its supervisor puts A's chain around it, inside B's authenticated bytes.
        fixture.usePolicies(guarded(2));
        TwoHops t = twoHops();

        t.swarm().operatorAsks(t.a(), t.b().address(), "pay-8");
        // C's logic gets the note, never the frame.
        AgentInput.Inbound atC = (AgentInput.Inbound) t.c().inputs().fishForMessage(Duration.ofSeconds(5),
                i -> i instanceof AgentInput.Inbound ? FishingOutcomes.complete()
                        : FishingOutcomes.continueAndIgnore()).get(0);
        assertEquals(new Note("pay-8"), atC.payload());
        outcome(t.c(), "relay-pay-8");

        SignedEnvelope bToC = t.swarm().routed.stream().map(Deliver::envelope)
                .filter(e -> e.sender().equals(t.b().address().toString())).findFirst().orElseThrow();
        ProvenanceFrame frame = assertInstanceOf(ProvenanceFrame.class,
                SafetyFixture.PAYLOADS.fromBytes(bToC.payload()));
        assertEquals(List.of(t.a().address().toString(), SafetyFixture.OPERATOR), frame.upstream());
        assertEquals(new Note("pay-8"), SafetyFixture.PAYLOADS.fromBytes(frame.payload()));
    }

    @Test
    void aLogicThatSendsItsOwnFrameToHideItsChainIsRefused() {
        fixture.usePolicies(guarded(2));
        Swarm swarm = new Swarm();
        Member c = swarm.deploy("c", List.of(X), RelayLogic.Plan.relay(X, VAULT));
        Member b = swarm.deploy("b", List.of(ASK, X), new RelayLogic.Plan(ASK, c.address(), null, true));
        Member a = swarm.deploy("a", List.of(ASK), RelayLogic.Plan.none());

        swarm.operatorAsks(a, b.address(), "pay-9");

        AgentInput.Outcome atB = outcome(b, "relay-pay-9");
        assertFalse(atB.allowed(), atB.reason());
        ActionDenied denied = last(b, ActionDenied.class);
        assertEquals(RefusalCode.PROVENANCE, denied.code());
        assertTrue(denied.detail().contains("may not send a provenance frame"), denied.detail());
        assertFalse(routedTo(swarm).contains(c.address()), "nothing reached C");
    }

    @Test
    void strippingTheChainOnTheWayBreaksTheEnvelopesAuthentication() {
        fixture.usePolicies(guarded(2));
        TwoHops t = twoHops();
        String bName = t.b().address().toString();
        // A man in the middle takes the frame off B's envelope to C and keeps B's MAC.
        t.swarm().tamper = d -> {
            SignedEnvelope e = d.envelope();
            if (!e.sender().equals(bName)) {
                return d;
            }
            ProvenanceFrame frame = (ProvenanceFrame) SafetyFixture.PAYLOADS.fromBytes(e.payload());
            return new Deliver(new SignedEnvelope(e.senderDid(), e.sender(), e.recipient(), e.nonce(), e.hlc(),
                    frame.payload(), e.signature(), e.scheme()), d.replyTo());
        };

        t.swarm().operatorAsks(t.a(), t.b().address(), "pay-10");
        outcome(t.b(), "relay-pay-10");

        testKit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
            Refused r = last(t.c(), Refused.class);
            assertEquals(RefusalCode.BAD_SIGNATURE, r.code(), r.detail());
            return r;
        });
        t.c().inputs().expectNoMessage(Duration.ofMillis(200));
        assertFalse(routedTo(t.swarm()).contains(VAULT));
    }

    @Test
    void aChainNamingAnUnknownEntityIsDenied() {
        // D holds X and is admitted; the chain its (compromised) node claims names an entity deployed nowhere.
        fixture.usePolicies(guarded(2));
        Swarm swarm = new Swarm();
        Member b = swarm.deploy("b", List.of(X), RelayLogic.Plan.relay(X, VAULT));
        Member d = swarm.deploy("d", List.of(X), RelayLogic.Plan.none());

        deliverFramed(swarm, d, b, List.of("agent:ghost"), "pay-11");

        AgentInput.Outcome atB = outcome(b, "relay-pay-11");
        assertFalse(atB.allowed(), atB.reason());
        ActionDenied denied = last(b, ActionDenied.class);
        assertEquals(RefusalCode.PROVENANCE, denied.code());
        assertTrue(denied.detail().contains("lacking: agent:ghost (no valid credential known)"), denied.detail());
    }

    @Test
    void aClaimedChainOnlyAddsHopsTheSenderItselfAlwaysComesFirstAndLongChainsAreCutToTheNewest() {
        fixture.usePolicies(guarded(1));
        Swarm swarm = new Swarm();
        Member b = swarm.deploy("b", List.of(X), RelayLogic.Plan.relay(X, VAULT));
        Member d = swarm.deploy("d", List.of(X), RelayLogic.Plan.none());
        List<String> long50 = IntStream.range(0, 50).mapToObj(i -> "agent:hop-" + i).toList();

        deliverFramed(swarm, d, b, long50, "pay-12");

        // hops = 1 looks at D only, who holds X: the invented hops behind it cannot push D out of the chain.
        assertTrue(outcome(b, "relay-pay-12").allowed());
        assertEquals(d.address().toString(), observedChain(b).get(0));

        // Under the longest rule the chain is D and the newest 7 claimed hops; hop-7 and beyond are dropped.
        fixture.usePolicies(guarded(CauseChain.MAX_HOPS));
        deliverFramed(swarm, d, b, long50, "pay-12b");
        ActionDenied denied = outcomeDenied(b, "relay-pay-12b");
        List<String> expected = new ArrayList<>();
        expected.add(d.address().toString());
        expected.addAll(long50.subList(0, CauseChain.MAX_HOPS - 1));
        assertTrue(denied.detail().contains("chain (newest first): " + String.join(" <- ", expected) + " (rule "),
                denied.detail());
        assertTrue(denied.detail().contains("agent:hop-6 (no valid credential known)"), denied.detail());
        assertFalse(denied.detail().contains("agent:hop-7"), denied.detail());
    }

    private static ActionDenied outcomeDenied(Member m, String intentId) {
        AgentInput.Outcome o = outcome(m, intentId);
        assertFalse(o.allowed(), o.reason());
        ActionDenied denied = last(m, ActionDenied.class);
        assertEquals(intentId, denied.intentId());
        assertEquals(RefusalCode.PROVENANCE, denied.code());
        return denied;
    }

    @Test
    void aFrameInsideAFrameIsRefused() {
        Swarm swarm = new Swarm();
        Member b = swarm.deploy("b", List.of(X), RelayLogic.Plan.relay(X, VAULT));
        Member d = swarm.deploy("d", List.of(X), RelayLogic.Plan.none());
        byte[] inner = SafetyFixture.PAYLOADS.toBytes(new ProvenanceFrame(List.of(),
                SafetyFixture.PAYLOADS.toBytes(new Note("pay-13"))));
        byte[] outer = SafetyFixture.PAYLOADS.toBytes(new ProvenanceFrame(List.of("agent:x"), inner));
        TestProbe<DeliveryReply> replies = testKit.createTestProbe();

        swarm.supervisors.get(b.address()).tell(new Deliver(SignedEnvelope.sign(d.keys(), d.address().toString(),
                b.address().toString(), fixture.nextNonce(), org.nexusswarm.memory.chronotope.HybridLogicalClock.pack(
                        System.currentTimeMillis(), 0), outer), replies.ref()));

        DeliveryReply.Refused refused = replies.expectMessageClass(DeliveryReply.Refused.class);
        assertEquals(RefusalCode.UNREGISTERED_TYPE, refused.code());
        b.inputs().expectNoMessage(Duration.ofMillis(200));
    }

    /** An envelope signed with {@code from}'s own key, claiming {@code upstream} for the note it carries. */
    private static void deliverFramed(Swarm swarm, Member from, Member to, List<String> upstream, String text) {
        byte[] framed = SafetyFixture.PAYLOADS.toBytes(new ProvenanceFrame(upstream,
                SafetyFixture.PAYLOADS.toBytes(new Note(text))));
        TestProbe<DeliveryReply> replies = testKit.createTestProbe();
        swarm.supervisors.get(to.address()).tell(new Deliver(SignedEnvelope.sign(from.keys(),
                from.address().toString(), to.address().toString(), fixture.nextNonce(),
                org.nexusswarm.memory.chronotope.HybridLogicalClock.pack(System.currentTimeMillis(), 0), framed),
                replies.ref()));
        replies.expectMessageClass(DeliveryReply.Accepted.class);
    }
}
