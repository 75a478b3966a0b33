package org.nexusswarm.safety.api.policy;

import org.nexusswarm.safety.internal.policy.PolicyStore;
import org.nexusswarm.safety.api.policy.PolicyTexts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.serialization.KryoSerializer;
import org.nexusswarm.actors.serialization.SwarmKryo;

/** Every policy type that crosses the wire or the journal round-trips through Pekko serialization under its fixed id. */
class PolicySerializationTest {

    private static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("PolicySerializationTest", ConfigFactory.load("application-test"));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void everyRegisteredPolicyTypeRoundTripsUnderItsFixedId() {
        TestProbe<StatusReply<Long>> proposals = testKit.createTestProbe();
        TestProbe<PolicyStore.Current> reads = testKit.createTestProbe();
        String text = PolicyTexts.simple("rail:ser", 2) + "# ✓ é\n";
        PolicyChange change = PolicyChange.sign(PolicyTexts.APPROVERS.get(0), "rail:ser", text, 42);
        Map<Object, Integer> samples = Map.of(
                new PolicyStore.Propose(change, proposals.ref()), 370,
                new PolicyStore.GetPolicy(reads.ref()), 371,
                PolicyStore.Republish.INSTANCE, 372,
                new PolicyStore.Current("rail:ser", 2, PolicyParser.sha256(text), text, change.operatorDid()), 373,
                new PolicyStore.State(2, PolicyParser.sha256(text), text, change.operatorDid(),
                        Map.of(change.operatorDid(), 42L, "did:nexus:other", 7L)), 374,
                change, 375,
                new PolicyChanged("rail:ser", 2, PolicyParser.sha256(text), text, change.operatorDid(), 42, "c2ln"), 376,
                new PolicyStore.ChangeRefused("rail:ser", "LEGACY_FORMAT", change.operatorDid(), "retired ✓", 9), 1190);

        SwarmKryo kryo = SwarmKryo.withoutActorRefs();
        Serialization serialization = SerializationExtension.get(testKit.system());
        samples.forEach((value, id) -> {
            assertEquals(id, kryo.idOf(value.getClass()).orElse(-1), value.getClass().getName());
            var serializer = serialization.findSerializerFor(value);
            assertEquals(KryoSerializer.IDENTIFIER, serializer.identifier(), value.getClass().getName());
            byte[] bytes = serialization.serialize(value).get();
            Object copy = serialization.deserialize(bytes, serializer.identifier(),
                    Serializers.manifestFor(serializer, value)).get();
            assertEquals(value, copy, value.getClass().getName());
        });
    }

    @Test
    void changesCompareBySignatureContent() {
        PolicyChange a = PolicyChange.sign(PolicyTexts.APPROVERS.get(0), "rail:x", "t", 1);
        PolicyChange same = new PolicyChange(a.scope(), a.text(), a.operatorDid(), a.nonce(), a.signature());
        assertEquals(a, same);
        assertEquals(a.hashCode(), same.hashCode());
        assertNotEquals(a, new PolicyChange(a.scope(), a.text(), a.operatorDid(), a.nonce(), new byte[64]));
        byte[] leaked = a.signature();
        leaked[0] ^= 1;
        assertEquals(a, same, "the signature is copied out, so callers cannot change it");
    }
}
