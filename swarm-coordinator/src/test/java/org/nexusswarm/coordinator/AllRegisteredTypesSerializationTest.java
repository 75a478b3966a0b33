package org.nexusswarm.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeSet;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.serialization.KryoSerializer;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.actors.testing.RecordSamples;

/**
 * Every class any module registers with Kryo survives Pekko serialization (the path of remote messages,
 * journal events and snapshots) on the application's full class path, where all modules meet.
 */
class AllRegisteredTypesSerializationTest {

    private static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void everyRegisteredTypeOfEveryModuleRoundTripsThroughPekkoSerialization() {
        Map<Class<?>, Integer> registered = SwarmKryo.withoutActorRefs().registeredClasses();
        TreeSet<Integer> moduleRanges = new TreeSet<>();
        registered.values().forEach(id -> moduleRanges.add(id < 600 ? id / 100 * 100 : 600));
        assertEquals(new TreeSet<>(java.util.List.of(100, 200, 300, 400, 500, 600)), moduleRanges,
                "every module contributes registrations");

        TestProbe<Object> probe = testKit.createTestProbe();
        // Records whose constructors validate their input get valid samples by hand.
        RecordSamples samples = RecordSamples.over(registered.keySet()).withActorRef(probe.ref())
                .with(org.nexusswarm.safety.api.approval.ApprovalRequirement.class,
                        () -> new org.nexusswarm.safety.api.approval.ApprovalRequirement(
                                org.nexusswarm.safety.api.approval.ApprovalRequirement.Kind.QUORUM, 2,
                                java.util.List.of("did:nexus:a", "did:nexus:b", "did:nexus:c"),
                                java.time.Duration.ofMinutes(5)))
                // The safety layer's own immutable list classes (built only by the records that hold them).
                .with(org.nexusswarm.safety.internal.auth.SenderShards.class,
                        () -> (org.nexusswarm.safety.internal.auth.SenderShards) org.nexusswarm.safety.internal.auth.ReplayGuard.empty().accept("agent:a", 1).shards())
                .with(org.nexusswarm.safety.internal.monitor.ObservationWindow.class,
                        () -> (org.nexusswarm.safety.internal.monitor.ObservationWindow) org.nexusswarm.safety.internal.monitor.TrajectoryStats.empty().record(
                                new org.nexusswarm.safety.internal.monitor.Observation(1_000, "a", true, 0.5)).recent());
        Serialization serialization = SerializationExtension.get(testKit.system());
        SwarmKryo kryo = SwarmKryo.withoutActorRefs();
        for (Class<?> type : registered.keySet()) {
            var values = samples.samplesOf(type);
            assertFalse(values.isEmpty(), "no sample for " + type.getName());
            if (!SwarmMessage.class.isAssignableFrom(type)) {
                // Enums and component types travel only inside swarm messages, through Kryo itself.
                for (Object value : values) {
                    assertEquals(value, kryo.fromBytes(kryo.toBytes(value), Object.class), type.getName());
                }
                continue;
            }
            for (Object value : values) {
                var serializer = serialization.findSerializerFor(value);
                assertEquals(KryoSerializer.IDENTIFIER, serializer.identifier(), type.getName() + " is bound to Kryo");
                byte[] bytes = serialization.serialize(value).get();
                Object copy = serialization.deserialize(bytes, serializer.identifier(),
                        Serializers.manifestFor(serializer, value)).get();
                assertEquals(value, copy, type.getName());
            }
        }
        assertTrue(registered.size() >= 30, "registered: " + registered.size());
    }
}
