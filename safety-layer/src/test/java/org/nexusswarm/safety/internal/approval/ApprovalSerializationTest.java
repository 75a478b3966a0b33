package org.nexusswarm.safety.internal.approval;

import org.nexusswarm.safety.api.approval.ApprovalDecided;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.approval.ApprovalView;
import org.nexusswarm.safety.api.approval.SignedVote;
import org.nexusswarm.safety.api.approval.VoteReply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.serialization.KryoSerializer;
import org.nexusswarm.actors.serialization.SwarmKryo;

/**
 * Every approval type that crosses the wire or the journal round-trips through Pekko serialization (Kryo) with
 * its fixed id, with valid field values (ApprovalRequirement validates its input).
 */
class ApprovalSerializationTest {

    private static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("ApprovalSerializationTest", ConfigFactory.load("application-test"));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void everyRegisteredApprovalTypeRoundTripsUnderItsFixedId() {
        TestProbe<StatusReply<Done>> opens = testKit.createTestProbe();
        TestProbe<VoteReply> votes = testKit.createTestProbe();
        TestProbe<ApprovalView> views = testKit.createTestProbe();
        var keys = Ed25519.generate();
        EntityAddress requester = EntityAddress.of(EntityKind.AGENT, "a-1");
        ApprovalRequirement requirement = new ApprovalRequirement(ApprovalRequirement.Kind.QUORUM, 1,
                List.of(keys.did().value(), Ed25519.generate().did().value()), Duration.ofMinutes(5));
        SignedVote vote = SignedVote.sign(keys, "ap-1", true, 7, "fine by me ✓");
        ApprovalDecided decided = new ApprovalDecided("ap-1", true, "1 of 2 approved", List.of(keys.did().value()));
        ApprovalView view = new ApprovalView("ap-1", requester, "i-1", "water.divert", "summary", requirement, 1, 2,
                List.of(keys.did().value()), List.of(), decided);

        Map<Object, Integer> samples = Map.of(
                requirement, 390,
                ApprovalRequirement.Kind.CO_SIGN, 391,
                decided, 392,
                new ApprovalRequest.Open("ap-1", requester, "i-1", "water.divert", "s", requirement, opens.ref()), 393,
                new ApprovalRequest.CastVote(vote, votes.ref()), 394,
                new ApprovalRequest.Get(views.ref()), 395,
                new ApprovalRequest.Opened("ap-1", requester, "i-1", "water.divert", "s", requirement, 1, 2), 396,
                vote, 397,
                view, 398,
                VoteReply.Refused.of(VoteReply.Code.REPLAYED, "again"), 399);

        SwarmKryo kryo = SwarmKryo.withoutActorRefs();
        Serialization serialization = SerializationExtension.get(testKit.system());
        samples.forEach((value, id) -> {
            assertEquals(id, kryo.idOf(value.getClass()).orElse(-1), value.getClass().getName());
            if (!(value instanceof SwarmMessage)) {
                // Enums travel only inside messages, through Kryo itself.
                assertEquals(value, kryo.fromBytes(kryo.toBytes(value), Object.class));
                return;
            }
            var serializer = serialization.findSerializerFor(value);
            assertEquals(KryoSerializer.IDENTIFIER, serializer.identifier(), value.getClass().getName());
            byte[] bytes = serialization.serialize(value).get();
            Object copy = serialization.deserialize(bytes, serializer.identifier(),
                    Serializers.manifestFor(serializer, value)).get();
            assertEquals(value, copy, value.getClass().getName());
        });
        assertEquals(VoteReply.Code.REPLAYED, VoteReply.Refused.of(VoteReply.Code.REPLAYED, "").code());
        assertEquals(ApprovalView.unknown("x"), serialization.deserialize(
                serialization.serialize(ApprovalView.unknown("x")).get(), KryoSerializer.IDENTIFIER, "k1").get());
    }
}
