package org.nexusswarm.actors.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.Patterns;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.GetStatus;

/**
 * A few thousand fuzz inputs through a real Artery TCP connection into a separate JVM, which must stay up and
 * keep answering. The attacker's system writes the bytes under the project serializer's id and manifest
 * ({@link RawBytesSerializer}), so the victim decodes them with its real {@link KryoSerializer}. No Cassandra.
 */
class DecoderArteryIntegrationTest {

    private static final int INPUTS = 3_000;
    private static final int BATCH = 100;
    private static final long SEED = 0x0A77E27L;

    @Test
    void aVictimJvmSurvivesThousandsOfHostileMessagesAndStillAnswers() throws Exception {
        Process victim = startVictim();
        List<String> output = new ArrayList<>();
        ActorSystem attacker = null;
        try {
            int port = awaitReady(victim, output);
            attacker = ActorSystem.create("attacker", ConfigFactory.parseString("""
                    pekko.actor.serializers.nexus-kryo = "org.nexusswarm.actors.serialization.RawBytesSerializer"
                    pekko.actor.serialization-bindings {
                      "org.nexusswarm.actors.serialization.RawBytesSerializer$Raw" = nexus-kryo
                    }
                    """).withFallback(DecoderVictimMain.remoteConfig()));
            ActorRef counter = attacker.actorSelection("pekko://victim@127.0.0.1:" + port + "/user/counter")
                    .resolveOne(Duration.ofSeconds(20)).toCompletableFuture().get(30, TimeUnit.SECONDS);

            SwarmKryo kryo = SwarmKryo.withoutActorRefs();
            List<byte[]> corpus = DecoderFuzz.kernelCorpus(kryo);
            SplittableRandom random = new SplittableRandom(SEED);
            System.out.println("decoder artery fuzz: seed " + SEED + ", " + INPUTS + " inputs");
            long answered = status(attacker, counter);
            // First the two attacks of issue 8 that took a node down: a 6-byte string of 2^31 characters and
            // 15 KB of nested lists (an Intent whose Map component holds lists in lists).
            com.esotericsoftware.kryo.io.Output string = new com.esotericsoftware.kryo.io.Output(16, -1);
            string.writeVarInt(kryo.registeredClasses().get(EntityAddress.class) + 2, true);
            string.writeVarIntFlag(true, Integer.MAX_VALUE, true);
            com.esotericsoftware.kryo.io.Output nested = new com.esotericsoftware.kryo.io.Output(16_000, -1);
            nested.writeVarInt(kryo.registeredClasses().get(org.nexusswarm.actors.spi.Intent.class) + 2, true);
            nested.writeString("x.y");
            nested.writeString("i-1");
            for (int i = 0; i < 7_500; i++) {
                nested.writeVarInt(24 + 2, true);
                nested.writeVarIntFlag(false, 2, true);
            }
            nested.writeVarInt(0, true);
            counter.tell(new RawBytesSerializer.Raw(string.toBytes()), ActorRef.noSender());
            counter.tell(new RawBytesSerializer.Raw(nested.toBytes()), ActorRef.noSender());
            for (int sent = 0; sent < INPUTS; sent += BATCH) {
                for (int i = 0; i < BATCH; i++) {
                    byte[] input = DecoderFuzz.mutate(corpus, random);
                    if (input.length > 60_000) {
                        input = java.util.Arrays.copyOf(input, 60_000); // under Artery's 256 KiB frame either way
                    }
                    counter.tell(new RawBytesSerializer.Raw(input), ActorRef.noSender());
                }
                // The victim answers after the batch (same connection, in order): it is up and decoding.
                long now = status(attacker, counter);
                assertTrue(now > answered, "the victim's count moves on: " + answered + " -> " + now);
                answered = now;
                assertTrue(victim.isAlive(), "the victim JVM is alive after " + (sent + BATCH) + " inputs");
            }
            // And a valid message after all that still arrives and is counted.
            counter.tell(EntityAddress.of(EntityKind.AGENT, "still-here"), ActorRef.noSender());
            long last = status(attacker, counter);
            assertTrue(last >= answered + 2, "a valid message and the status request were counted");
            assertTrue(victim.isAlive());
        } finally {
            if (attacker != null) {
                attacker.terminate();
            }
            victim.destroy();
            victim.waitFor(20, TimeUnit.SECONDS);
            if (victim.isAlive()) {
                victim.destroyForcibly();
            }
        }
        String log = String.join("\n", output);
        assertFalse(log.contains("OutOfMemoryError") || log.contains("StackOverflowError"), log);
    }

    private static long status(ActorSystem attacker, ActorRef counter) throws Exception {
        Object reply = Patterns.askWithReplyTo(counter,
                replyTo -> new GetStatus(Adapter.toTyped(replyTo)), Duration.ofSeconds(30))
                .toCompletableFuture().get(40, TimeUnit.SECONDS);
        return ((EntityStatus) reply).lastSequence();
    }

    private static Process startVictim() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("-Xmx256m");
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-opens")) {
                command.add(argument);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(DecoderVictimMain.class.getName());
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Reads the victim's output (kept for the final check) until it says on which port it listens. */
    private static int awaitReady(Process victim, List<String> output) throws Exception {
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(victim.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (output) {
                        output.add(line);
                    }
                    if (line.startsWith("VICTIM-READY ")) {
                        ready.complete(Integer.parseInt(line.substring("VICTIM-READY ".length()).trim()));
                    }
                }
            } catch (Exception e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("the victim exited: " + output));
        }, "victim-output");
        reader.setDaemon(true);
        reader.start();
        Integer port = ready.get(90, TimeUnit.SECONDS);
        assertNotNull(port);
        assertEquals(true, victim.isAlive());
        return port;
    }
}
