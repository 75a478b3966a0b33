package org.nexusswarm.actors.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.GetStatus;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.actors.testing.RecordSamples;

/** The Pekko serializer inside a real actor system: actor refs, every registered class, manifests. */
@ExtendWith(LogCapturingExtension.class)
class KryoSerializerTest {

    private static ActorTestKit testKit;
    private static Serialization serialization;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
        serialization = SerializationExtension.get(testKit.system());
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void swarmMessagesAreBoundToTheKryoSerializer() {
        TestProbe<EntityStatus> probe = testKit.createTestProbe();
        Serializer serializer = serialization.findSerializerFor(new GetStatus(probe.ref()));
        assertInstanceOf(KryoSerializer.class, serializer);
        assertEquals(KryoSerializer.IDENTIFIER, serializer.identifier());
    }

    @Test
    void aRecordHoldingATypedActorRefRoundTripsToTheSameRef() throws Exception {
        TestProbe<EntityStatus> probe = testKit.createTestProbe();
        GetStatus original = new GetStatus(probe.ref());
        KryoSerializer serializer = kryoSerializer();

        Object copy = serializer.fromBinary(serializer.toBinary(original), serializer.manifest(original));

        GetStatus restored = assertInstanceOf(GetStatus.class, copy);
        assertEquals(original, restored);
        assertEquals(probe.ref(), restored.replyTo());
        EntityStatus status = new EntityStatus(EntityAddress.of(EntityKind.AGENT, "a"), false, 0, 3, "");
        restored.replyTo().tell(status);
        probe.expectMessage(status); // the resolved ref reaches the original actor
    }

    @Test
    void aDeliverWithEnvelopeAndReplyRefRoundTripsThroughPekkoSerialization() {
        TestProbe<DeliveryReply> replies = testKit.createTestProbe();
        SignedEnvelope envelope = SignedEnvelope.sign(Ed25519.generate(), "agent:a", "agent:b", 1, 2, new byte[] {5});
        Deliver original = new Deliver(envelope, replies.ref());
        byte[] bytes = serialization.serialize(original).get();
        Serializer serializer = serialization.findSerializerFor(original);
        Object copy = serialization.deserialize(bytes, serializer.identifier(),
                ((KryoSerializer) serializer).manifest(original)).get();
        assertEquals(original, copy);
    }

    @Test
    void everyRegisteredClassRoundTripsThroughTheSerializerWithActorRefs() throws Exception {
        TestProbe<Object> probe = testKit.createTestProbe();
        Map<Class<?>, Integer> registered = SwarmKryo.withoutActorRefs().registeredClasses();
        RecordSamples samples = RecordSamples.over(registered.keySet()).withActorRef(probe.ref());
        KryoSerializer serializer = kryoSerializer();
        List<String> covered = new ArrayList<>();
        for (Class<?> type : registered.keySet()) {
            List<Object> values = samples.samplesOf(type);
            assertTrue(!values.isEmpty(), "no sample for " + type);
            for (Object value : values) {
                byte[] bytes = serializer.toBinary(value);
                if (!(value instanceof org.nexusswarm.actors.SwarmMessage)) {
                    // Pekko never hands this serializer anything else, so bytes claiming to be one are hostile.
                    NotSerializableException refused = assertThrows(NotSerializableException.class,
                            () -> serializer.fromBinary(bytes, serializer.manifest(value)));
                    assertEquals(DecodeRefusedException.Reason.NOT_A_MESSAGE_TYPE,
                            assertInstanceOf(DecodeRefusedException.class, refused.getCause()).reason());
                    continue;
                }
                Object copy = serializer.fromBinary(bytes, serializer.manifest(value));
                assertEquals(value, copy, type.getName());
            }
            covered.add(type.getSimpleName());
        }
        assertTrue(covered.containsAll(List.of("Deliver", "Kill", "GetStatus")), covered.toString());
    }

    @Test
    void aWrongManifestIsRejected() {
        KryoSerializer serializer = kryoSerializer();
        EntityAddress address = EntityAddress.of(EntityKind.NODE, "n-1");
        byte[] bytes = serializer.toBinary(address);
        NotSerializableException e = assertThrows(NotSerializableException.class,
                () -> serializer.fromBinary(bytes, "k0"));
        assertTrue(e.getMessage().contains("k0"), e.getMessage());
        assertThrows(NotSerializableException.class, () -> serializer.fromBinary(bytes, ""));
    }

    @Test
    void bytesOfAnUnknownClassIdBecomeNotSerializableException() {
        Kryo writer = new Kryo();
        writer.register(SwarmKryoTest.NotRegistered.class, 9999);
        Output out = new Output(64, -1);
        writer.writeClassAndObject(out, new SwarmKryoTest.NotRegistered("x"));
        KryoSerializer serializer = kryoSerializer();

        NotSerializableException e = assertThrows(NotSerializableException.class,
                () -> serializer.fromBinary(out.toBytes(), "k1"));
        assertInstanceOf(UnregisteredTypeException.class, e.getCause());
    }

    @Test
    void actorRefsCannotBeWrittenByThePayloadPool() {
        // Payloads must never carry actor references: only the Pekko serializer knows how to write them.
        TestProbe<EntityStatus> probe = testKit.createTestProbe();
        UnregisteredTypeException e = assertThrows(UnregisteredTypeException.class,
                () -> SwarmKryo.withoutActorRefs().toBytes(new GetStatus(probe.ref())));
        assertTrue(e.getMessage().contains(GetStatus.class.getName()), e.getMessage());
    }

    private static KryoSerializer kryoSerializer() {
        Serializer s = serialization.findSerializerFor(EntityAddress.of(EntityKind.NODE, "any"));
        assertSame(KryoSerializer.class, s.getClass());
        return (KryoSerializer) s;
    }
}
