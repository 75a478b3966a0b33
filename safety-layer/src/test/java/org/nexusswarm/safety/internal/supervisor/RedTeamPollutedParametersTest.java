package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.Step;
import org.nexusswarm.safety.api.admission.AdmissionRules;
import org.nexusswarm.safety.api.admission.BytecodeAdmission;
import org.nexusswarm.safety.api.admission.PackFiles;
import org.nexusswarm.safety.api.registry.EntitySpec;
import org.nexusswarm.safety.api.supervisor.SafetyEvent;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Note;

/**
 * Red team (session 3b): {@code Intent.parameters} is a {@code Map<String, Double>} only by erasure. A step can hand
 * over a map of its own objects (a raw cast; {@code redteam.packs.pollute.PollutingLogic} is admitted), and the
 * supervisor's {@code PayloadParameters.check} then runs {@code new TreeMap<>(parameters)} and string concatenation
 * over it: the pack's {@code compareTo} and {@code toString} run on the supervisor's own thread, outside the
 * watchdog and its wall-time cap. A loop there wedges the supervisor (and its dispatcher thread) for good; a throw
 * fails it. Here the pack methods only record the thread they run on.
 */
class RedTeamPollutedParametersTest {

    private static final String COMPUTE = "compute.request";
    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.ORCHESTRATOR, "orc-1");
    private static final Set<String> PACK_THREADS = ConcurrentHashMap.newKeySet();
    private static final Set<String> STEP_THREADS = ConcurrentHashMap.newKeySet();
    private static SupervisorHarness h;

    @BeforeAll
    static void start() {
        h = new SupervisorHarness("RedTeamPollutedParametersTest");
    }

    @AfterAll
    static void stop() {
        h.shutdown();
    }

    /** A pack object where the platform expects a String key. */
    static final class Key implements Comparable<Key> {
        @Override
        public int compareTo(Key other) {
            PACK_THREADS.add(Thread.currentThread().getName());
            return 0;
        }

        @Override
        public String toString() {
            PACK_THREADS.add(Thread.currentThread().getName());
            return "key";
        }
    }

    static final class Polluting implements AgentLogic<Long> {
        @Override
        public String version() {
            return "pollute/1";
        }

        @Override
        public Long init(AgentContext context) {
            return 0L;
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public Step<Long> step(Long state, AgentInput input) {
            STEP_THREADS.add(Thread.currentThread().getName());
            if (!(input instanceof AgentInput.Inbound)) {
                return Step.of(state);
            }
            Map<String, Double> parameters = (Map) Map.of(new Key(), 1.0);
            return Step.of(state + 1, new Intent("i-" + state, COMPUTE, TARGET, null, parameters));
        }
    }

    @Test
    void packObjectsInTheParametersMapNeverRunOnTheSupervisorsThread() {
        assertEquals(List.of(), new BytecodeAdmission(AdmissionRules.jdkAndAgentApi()).check(PackFiles.locate(
                getClass().getClassLoader(), "redteam.packs.pollute.PollutingLogic", List.of())),
                "the pack is admitted");
        h.reset();
        SwarmKeyPair keys = Ed25519.generate();
        EntityAddress address = h.fixture.freshAddress("polluter");
        h.fixture.registry.deploy(new EntitySpec(address, SafetyFixture.PLACE,
                keys, h.fixture.credential(keys, List.of(COMPUTE)), new Polluting()));
        var kit = EventSourcedBehaviorTestKit.create(h.testKit.system(), SafetySupervisor.create(address));
        var reply = kit.<DeliveryReply>runCommand(replyTo -> new Deliver(
                h.fixture.fromOperator(address, new Note("go")), replyTo));

        java.util.function.BooleanSupplier decided = () -> kit.persistenceTestKit()
                .persistedInStorage(address.persistenceId()).stream()
                .anyMatch(e -> e instanceof SafetyEvent.ActionDenied || e instanceof SafetyEvent.Killed);
        h.testKit.createTestProbe().awaitAssert(Duration.ofSeconds(15), () -> {
            assertTrue(decided.getAsBoolean() || !PACK_THREADS.isEmpty(), "neither decided nor pack code run");
            return null;
        });
        // On main: pack code ran on the supervisor's dispatcher thread (...-pekko.actor.default-dispatcher-N).
        assertTrue(STEP_THREADS.containsAll(PACK_THREADS), "pack code ran on " + PACK_THREADS
                + ", not on the logic threads " + STEP_THREADS);
        // On main the intent is then never decided nor journaled either (the supervisor fails on the map).
        h.testKit.createTestProbe().awaitAssert(Duration.ofSeconds(15), () -> {
            assertTrue(decided.getAsBoolean(), "the intent was decided; reply " + reply.reply() + ", journal "
                    + kit.persistenceTestKit().persistedInStorage(address.persistenceId()));
            return null;
        });
        assertTrue(kit.persistenceTestKit().persistedInStorage(address.persistenceId()).stream()
                .anyMatch(e -> e instanceof SafetyEvent.Killed && e.toString().contains("key of type")),
                "the step is a journaled fault naming the key type");
        assertTrue(PACK_THREADS.isEmpty(), "no pack key method ran at all: " + PACK_THREADS);
    }
}
