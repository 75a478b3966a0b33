package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
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
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.memory.chronotope.HashChain;
import org.nexusswarm.memory.chronotope.HybridLogicalClock;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionAllowed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Killed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Observed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Refused;
import org.nexusswarm.safety.internal.supervisor.SafetyFixture.Deployed;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Act;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.LogicStarted;

/**
 * An operator kill that lands in the middle of traffic (plain actor system, no testkit in between): four senders
 * deliver 200 acts concurrently, each making the logic propose an intent, and the kill is enqueued between the
 * first and the second hundred while intents are still on their way. The kill is journaled once, nothing is
 * allowed after it, and every delivery after it is refused as quarantined.
 */
@ExtendWith(LogCapturingExtension.class)
class KillUnderLoadTest {

    private static final int SENDERS = 4;
    private static final int PER_SENDER = 50;
    private static final String COMPUTE = "compute.request";
    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.NODE, "grid-7");

    private static ActorTestKit testKit;
    private static SafetyFixture fixture;

    @BeforeAll
    static void start() {
        testKit = SafetyFixture.journaledTestKit("KillUnderLoadTest");
        fixture = new SafetyFixture(testKit);
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void aKillInTheMiddleOfTrafficIsJournaledOnceAndNothingPassesAfterIt() throws Exception {
        Deployed entity = fixture.deploy("busy", List.of(COMPUTE));
        AtomicInteger routed = new AtomicInteger();
        fixture.registry.useRouter((target, deliver) -> routed.incrementAndGet());
        // One admitted sender per thread: each sender's nonces arrive in order, so none is refused as replayed.
        List<SwarmKeyPair> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            SwarmKeyPair keys = Ed25519.generate();
            fixture.registry.identities().admit(keys.did(), "operator:load-" + s);
            senders.add(keys);
        }
        ActorRef<EntityCommand> supervisor = testKit.spawn(SafetySupervisor.create(entity.address()));
        LogicStarted started = entity.starts().expectMessageClass(LogicStarted.class);
        TestProbe<DeliveryReply> replies = testKit.createTestProbe();
        TestProbe<EntityStatus> killReply = testKit.createTestProbe();

        ExecutorService pool = Executors.newFixedThreadPool(SENDERS + 1);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch firstHalvesSent = new CountDownLatch(SENDERS);
        CountDownLatch killSent = new CountDownLatch(1);
        try {
            for (int s = 0; s < SENDERS; s++) {
                SwarmKeyPair keys = senders.get(s);
                String name = "operator:load-" + s;
                pool.submit(() -> {
                    go.await();
                    for (int i = 1; i <= PER_SENDER; i++) {
                        if (i == PER_SENDER / 2 + 1) {
                            firstHalvesSent.countDown();
                            killSent.await();
                        }
                        Act act = new Act(name + "-" + i, COMPUTE, TARGET, "work");
                        SignedEnvelope envelope = SignedEnvelope.sign(keys, name, entity.address().toString(), i,
                                HybridLogicalClock.pack(System.currentTimeMillis(), 0),
                                SafetyFixture.PAYLOADS.toBytes(act));
                        supervisor.tell(new Deliver(envelope, replies.ref()));
                    }
                    return null;
                });
            }
            // The kill is enqueued after every sender's first half and before any second half; the intents the
            // logic proposes for the first halves are still on their way while it is processed.
            pool.submit(() -> {
                firstHalvesSent.await();
                supervisor.tell(fixture.kill(entity.address(), "stop the flood", killReply.ref()));
                killSent.countDown();
                return null;
            });
            go.countDown();

            EntityStatus status = killReply.expectMessageClass(EntityStatus.class, Duration.ofSeconds(10));
            assertTrue(status.quarantined());
            List<DeliveryReply> all = replies.receiveSeveralMessages(SENDERS * PER_SENDER, Duration.ofSeconds(20));
            entity.starts().expectTerminated(started.logic(), Duration.ofSeconds(3));

            List<SafetyEvent> journal = PersistenceTestKit.create(testKit.system())
                    .persistedInStorage(entity.persistenceId()).stream().map(SafetyEvent.class::cast).toList();
            List<Integer> kills = new ArrayList<>();
            for (int i = 0; i < journal.size(); i++) {
                if (journal.get(i) instanceof Killed) {
                    kills.add(i);
                }
            }
            assertEquals(1, kills.size(), "killed exactly once");
            int killedAt = kills.get(0);
            long killedSequence = journal.get(killedAt).chronotope().sequence();
            assertInstanceOf(SafetyEvent.Checkpointed.class, journal.get(killedAt + 1), "a kill is sealed at once");
            assertEquals(killedSequence + 1, status.lastSequence(), "the kill's answer names the sealed Killed event");
            List<SafetyEvent> after = journal.subList(killedAt + 2, journal.size());
            // Intents the child had sent before it stopped are refused and journaled too (kill means no effect).
            assertTrue(after.stream().allMatch(e -> e instanceof SafetyEvent.Checkpointed
                            || e instanceof Refused r && r.code() == RefusalCode.QUARANTINED
                            || e instanceof SafetyEvent.ActionDenied d && d.code() == RefusalCode.QUARANTINED),
                    "after the kill only quarantine refusals (and periodic checkpoints): " + after);

            int accepted = 0;
            for (DeliveryReply reply : all) {
                if (reply instanceof DeliveryReply.Accepted a) {
                    accepted++;
                    assertTrue(a.sequence() < killedSequence, "accepted after the kill: " + a);
                } else {
                    DeliveryReply.Refused refused = assertInstanceOf(DeliveryReply.Refused.class, reply);
                    assertEquals(RefusalCode.QUARANTINED, refused.code(), refused.detail());
                    assertTrue(refused.sequence() > killedSequence, "refused before the kill: " + refused);
                }
            }
            List<SafetyEvent> before = journal.subList(0, killedAt);
            assertEquals(accepted, before.stream().filter(Observed.class::isInstance).count());
            assertEquals(SENDERS * PER_SENDER - accepted, after.stream().filter(Refused.class::isInstance).count());
            long allowed = before.stream().filter(ActionAllowed.class::isInstance).count();
            assertEquals(allowed, routed.get(), "exactly the allowed intents left the entity");
            assertEquals(SENDERS * PER_SENDER / 2, accepted, "everything enqueued before the kill was accepted");

            String previous = HashChain.GENESIS;
            for (SafetyEvent e : journal) {
                assertEquals(previous, e.chronotope().previousHash(), "chain intact at " + e.chronotope().sequence());
                previous = HashChain.hashOf(e);
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
            testKit.stop(supervisor);
        }
    }
}
