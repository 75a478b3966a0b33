package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nexusswarm.safety.internal.supervisor.SupervisorHarness.types;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.memory.chronotope.HybridLogicalClock;
import org.nexusswarm.safety.internal.auth.SessionAuthenticator;
import org.nexusswarm.safety.internal.auth.SessionKeyAnnouncement;
import org.nexusswarm.safety.internal.auth.SessionKeys;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Observed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Refused;
import org.nexusswarm.safety.internal.supervisor.SafetyFixture.Deployed;
import org.nexusswarm.safety.internal.supervisor.SupervisorHarness.Running;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Note;

/**
 * Inbound envelopes the supervisor must refuse although they are signed by an admitted sender — replays, stale
 * and future ones — and entity-to-entity envelopes authenticated with a session MAC instead of a signature.
 */
@ExtendWith(LogCapturingExtension.class)
class InboundTest {

    private static final String COMPUTE = "compute.request";

    private static SupervisorHarness h;

    @BeforeAll
    static void start() {
        h = new SupervisorHarness("InboundTest");
    }

    @AfterAll
    static void stop() {
        h.shutdown();
    }

    @BeforeEach
    void reset() {
        h.reset();
    }

    /** Delivers {@code envelope}, expects one Refused event with {@code code}, and nothing for the logic. */
    private static Refused assertRefused(Running r, SignedEnvelope envelope, RefusalCode code) {
        var result = h.deliver(r, envelope);
        DeliveryReply.Refused reply = assertInstanceOf(DeliveryReply.Refused.class, result.reply());
        assertEquals(code, reply.code(), reply.detail());
        assertEquals(List.of(Refused.class), types(result.events()));
        Refused refused = (Refused) SupervisorHarness.decisions(result.events()).get(0);
        assertEquals(code, refused.code());
        assertEquals(reply.detail(), refused.detail());
        r.entity().inputs().expectNoMessage();
        return refused;
    }

    @Test
    void theSameEnvelopeTwiceIsRefusedAsReplayedTheSecondTime() {
        Running r = h.run(List.of(COMPUTE));
        SignedEnvelope envelope = h.fixture.fromOperator(r.address(), new Note("once"));

        var first = h.deliver(r, envelope);
        assertInstanceOf(DeliveryReply.Accepted.class, first.reply());
        Inputs.expectInbound(r.entity().inputs(), SafetyFixture.OPERATOR, new Note("once"));

        Refused refused = assertRefused(r, envelope, RefusalCode.REPLAYED);
        assertTrue(refused.detail().contains("was seen before"), refused.detail());
        assertEquals(List.of(Observed.class, Refused.class), types(h.journal(r)));

        // The replay window is state: a restart does not reopen it.
        r.kit().restart();
        r.entity().starts().expectMessageClass(TestPayloads.LogicStarted.class);
        assertRefused(r, envelope, RefusalCode.REPLAYED);
    }

    @Test
    void anEnvelopeStampedTenMinutesAgoIsStale() {
        Running r = h.run(List.of(COMPUTE));
        long tenMinutesAgo = System.currentTimeMillis() - 10 * 60_000;

        Refused refused = assertRefused(r, h.fixture.fromOperatorStampedAt(r.address(), new Note("old"), tenMinutesAgo),
                RefusalCode.STALE);

        assertTrue(refused.detail().contains("exceeds the maximum age"), refused.detail());
    }

    @Test
    void anEnvelopeStampedFiveMinutesAheadIsStale() {
        Running r = h.run(List.of(COMPUTE));
        long fiveMinutesAhead = System.currentTimeMillis() + 5 * 60_000;

        Refused refused = assertRefused(r,
                h.fixture.fromOperatorStampedAt(r.address(), new Note("future"), fiveMinutesAhead), RefusalCode.STALE);

        assertTrue(refused.detail().contains("in the future exceeds the allowed clock skew"), refused.detail());
    }

    // ---- session MACs ------------------------------------------------------------------------------------

    /**
     * The session keys a deployment hosts for {@code entity}, after checking that the registry announced them
     * (signed by the entity's identity) so peers may MAC envelopes to it.
     */
    private static SessionKeys hostedKeys(Deployed entity) {
        SessionKeys keys = h.fixture.registry.services().sessionKeys(entity.address());
        SessionKeyAnnouncement announced = h.fixture.registry.services().peerKeys().of(entity.address().toString())
                .orElseThrow();
        assertEquals(entity.keys().did().value(), announced.did());
        assertArrayEquals(keys.publicKey(), announced.x25519PublicKey());
        return keys;
    }

    /** An envelope from {@code from} to {@code to}, sealed with {@code fromKeys} (MAC'd when to's key is known). */
    private static SignedEnvelope sealed(Deployed from, SessionKeys fromKeys, Deployed to, Note note) {
        return new SessionAuthenticator(fromKeys, h.fixture.registry.services().peerKeys()).seal(from.keys(),
                to.address().toString(), h.fixture.nextNonce(), HybridLogicalClock.pack(System.currentTimeMillis(), 0),
                SafetyFixture.PAYLOADS.toBytes(note));
    }

    @Test
    void aMacdEnvelopeBetweenTwoEntitiesWithAnnouncedKeysIsAccepted() {
        Deployed a = h.fixture.deploy("mac-sender", List.of(COMPUTE));
        Deployed b = h.fixture.deploy("mac-receiver", List.of(COMPUTE));
        SessionKeys aKeys = hostedKeys(a);
        hostedKeys(b);
        Running rb = h.run(b);
        SignedEnvelope envelope = sealed(a, aKeys, b, new Note("hi b"));
        assertTrue(envelope.isMacked(), "sealed with the session key, not signed");

        var result = h.deliver(rb, envelope);

        assertInstanceOf(DeliveryReply.Accepted.class, result.reply());
        Observed observed = assertInstanceOf(Observed.class, SupervisorHarness.decisions(result.events()).get(0));
        assertEquals(a.address().toString(), observed.sender());
        assertEquals(a.keys().did().value(), observed.senderDid());
        Inputs.expectInbound(b.inputs(), a.address().toString(), new Note("hi b"));
    }

    @Test
    void keysHostedAndAnnouncedExplicitlyBeforeTheStartAreUsed() {
        Deployed a = h.fixture.deploy("mac-sender", List.of(COMPUTE));
        Deployed b = h.fixture.deploy("mac-receiver", List.of(COMPUTE));
        SessionKeys aKeys = SessionKeys.generate(a.address().toString());
        SessionKeys bKeys = SessionKeys.generate(b.address().toString());
        long later = System.currentTimeMillis() + 1; // newer than the deployment's announcements
        for (var entry : List.of(Map.entry(a, aKeys), Map.entry(b, bKeys))) {
            h.fixture.registry.services().hostSessionKeys(entry.getKey().address(), entry.getValue());
            assertEquals(Optional.empty(), h.fixture.registry.services().peerKeys().admit(SessionKeyAnnouncement.sign(
                    entry.getKey().keys(), entry.getKey().address().toString(), entry.getValue(), later)));
        }
        Running rb = h.run(b);

        assertInstanceOf(DeliveryReply.Accepted.class, h.deliver(rb, sealed(a, aKeys, b, new Note("rotated"))).reply());
    }

    @Test
    void aMacUnderTheWrongKeyIsABadSignature() {
        Deployed a = h.fixture.deploy("mac-sender", List.of(COMPUTE));
        Deployed b = h.fixture.deploy("mac-receiver", List.of(COMPUTE));
        Running rb = h.run(b);
        // Another X25519 key under A's name: not the one A's identity announced.
        SessionKeys impostor = SessionKeys.generate(a.address().toString());

        Refused refused = assertRefused(rb, sealed(a, impostor, b, new Note("hi b")), RefusalCode.BAD_SIGNATURE);

        assertTrue(refused.detail().contains("HMAC-SHA256 tag does not verify"), refused.detail());
        assertEquals(a.address().toString(), refused.sender());
    }

    @Test
    void aMacdEnvelopeWhosePayloadWasChangedIsABadSignature() {
        Deployed a = h.fixture.deploy("mac-sender", List.of(COMPUTE));
        Deployed b = h.fixture.deploy("mac-receiver", List.of(COMPUTE));
        Running rb = h.run(b);
        SignedEnvelope good = sealed(a, hostedKeys(a), b, new Note("pay 1"));
        SignedEnvelope tampered = new SignedEnvelope(good.senderDid(), good.sender(), good.recipient(), good.nonce(),
                good.hlc(), SafetyFixture.PAYLOADS.toBytes(new Note("pay 1000")), good.signature(), good.scheme());

        assertRefused(rb, tampered, RefusalCode.BAD_SIGNATURE);

        // The untouched envelope still passes: the refusal did not burn its nonce.
        assertInstanceOf(DeliveryReply.Accepted.class, h.deliver(rb, good).reply());
        Inputs.expectInbound(b.inputs(), a.address().toString(), new Note("pay 1"));
    }

    @Test
    void aMacFromASenderWhoseKeyIsNotAnnouncedIsABadSignature() {
        Deployed a = h.fixture.deploy("mac-sender", List.of(COMPUTE));
        Deployed b = h.fixture.deploy("mac-receiver", List.of(COMPUTE));
        SessionKeys aKeys = hostedKeys(a);
        Running rb = h.run(b);
        h.fixture.registry.services().peerKeys().remove(a.address().toString());

        Refused refused = assertRefused(rb, sealed(a, aKeys, b, new Note("hi")), RefusalCode.BAD_SIGNATURE);

        assertTrue(refused.detail().contains("no session key is known for " + a.address()), refused.detail());
    }

    @Test
    void anAllowedIntentToAnotherEntityLeavesMacdAndItsSupervisorAcceptsIt() {
        Deployed a = h.fixture.deploy("mac-sender", List.of(COMPUTE));
        Deployed b = h.fixture.deploy("mac-receiver", List.of(COMPUTE));
        Running ra = h.run(a);
        Running rb = h.run(b);

        assertTrue(h.act(ra, "to-b", COMPUTE, b.address()).allowed());
        SignedEnvelope routed = h.router.receiveMessage().envelope();

        assertEquals(SignedEnvelope.HMAC_SHA256, routed.scheme());
        assertInstanceOf(DeliveryReply.Accepted.class, h.deliver(rb, routed).reply());
        Inputs.expectInbound(b.inputs(), a.address().toString(), new Note("payload of to-b"));
    }

    @Test
    void anIntentToARecipientWithoutAnnouncedKeyIsSignedInstead() {
        Deployed a = h.fixture.deploy("mac-sender", List.of(COMPUTE));
        Deployed b = h.fixture.deploy("mac-receiver", List.of(COMPUTE));
        h.fixture.registry.services().peerKeys().remove(b.address().toString());
        Running ra = h.run(a);
        Running rb = h.run(b);

        assertTrue(h.act(ra, "to-b", COMPUTE, b.address()).allowed());
        SignedEnvelope routed = h.router.receiveMessage().envelope();

        assertEquals(SignedEnvelope.ED25519, routed.scheme());
        assertInstanceOf(DeliveryReply.Accepted.class, h.deliver(rb, routed).reply());
    }
}
