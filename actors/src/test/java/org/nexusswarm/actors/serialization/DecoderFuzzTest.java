package org.nexusswarm.actors.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.testing.RecordSamples;

/**
 * At least 100,000 random and mutated inputs straight into the Pekko serializer's {@code fromBinary}: every
 * failure is the typed refusal, nothing else escapes, no decode takes over 10 ms (inputs up to 64 KiB), and the
 * pooled decoder is never left in a state that changes how the next genuine message decodes.
 */
class DecoderFuzzTest {

    private static final long SEED = Long.getLong("nexus.fuzz.seed", 0x5EED_0008L);
    private static final int INPUTS = Integer.getInteger("nexus.fuzz.inputs", 100_000);

    private static ActorTestKit testKit;
    private static KryoSerializer serializer;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
        serializer = (KryoSerializer) SerializationExtension.get(testKit.system())
                .findSerializerFor(EntityAddress.of(EntityKind.NODE, "n"));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    /** A valid serialized sample of every registered message type that can be built (with actor refs). */
    private static List<byte[]> corpus() {
        TestProbe<Object> probe = testKit.createTestProbe();
        Map<Class<?>, Integer> registered = SwarmKryo.withoutActorRefs().registeredClasses();
        RecordSamples samples = RecordSamples.over(registered.keySet()).withActorRef(probe.ref());
        List<byte[]> corpus = new ArrayList<>();
        for (Class<?> type : registered.keySet()) {
            if (org.nexusswarm.actors.SwarmMessage.class.isAssignableFrom(type)) {
                for (Object value : samples.samplesOf(type)) {
                    corpus.add(serializer.toBinary(value));
                }
            }
        }
        corpus.addAll(DecoderFuzz.kernelCorpus(SwarmKryo.withoutActorRefs()));
        return corpus;
    }

    @Test
    void hundredThousandMutatedInputsGetOnlyTypedRefusalsAndNoneTakesTenMilliseconds() {
        List<byte[]> corpus = corpus();
        System.out.println("decoder fuzz: seed " + SEED + " (-Dnexus.fuzz.seed=...), " + corpus.size()
                + " valid messages to mutate");
        EntityStatus check = new EntityStatus(EntityAddress.of(EntityKind.AGENT, "check"), false, 1, 2, "ok é");
        byte[] checkBytes = serializer.toBinary(check);
        String manifest = serializer.manifest(check);
        int[] calls = {0};
        DecoderFuzz.Result result = DecoderFuzz.run(corpus, INPUTS, SEED, bytes -> {
            // Every 64th call, a genuine message must decode exactly: no refusal leaves state behind.
            if (++calls[0] % 64 == 0) {
                assertEquals(check, serializer.fromBinary(checkBytes, manifest));
            }
            return serializer.fromBinary(bytes, manifest);
        });
        System.out.println("decoder fuzz: " + result.summary());

        assertTrue(result.inputs() >= 100_000 || INPUTS < 100_000, "at least 100,000 inputs");
        assertEquals(List.of(), result.escaped(), "only DecodeRefusedException may come out");
        assertEquals(0, result.escapedCount());
        assertTrue(result.byReason().size() >= 4, "the fuzz reaches several limits: " + result.byReason());
        assertTrue(result.slowestNanos() < 10_000_000L, "slowest decode " + result.slowestMillis() + " ms");
    }

    @Test
    void aRefusedDecodeOfEveryMessageTypeIsFollowedByACorrectOneOnTheSamePooledInstance() throws Exception {
        // A truncated message fails half-way through (generic types pushed, depth > 0); the next one must not care.
        List<byte[]> corpus = corpus();
        String manifest = KryoSerializer.MANIFEST_CURRENT;
        for (byte[] valid : corpus) {
            Object expected = serializer.fromBinary(valid, manifest);
            for (int cut = 1; cut < valid.length; cut += Math.max(1, valid.length / 7)) {
                byte[] truncated = java.util.Arrays.copyOf(valid, cut);
                try {
                    serializer.fromBinary(truncated, manifest);
                } catch (java.io.NotSerializableException e) {
                    assertTrue(e.getCause() instanceof DecodeRefusedException, e.toString());
                }
                assertEquals(expected, serializer.fromBinary(valid, manifest));
            }
        }
    }

    @Test
    void theBenchFigureRunsOnTheKernelCorpus() {
        DecoderFuzz.Result result = DecoderFuzz.run(5_000, 7);
        assertEquals(5_000, result.inputs());
        assertEquals(0, result.escapedCount(), result.escaped().toString());
        assertTrue(result.inputsPerSecond() > 0);
    }
}
