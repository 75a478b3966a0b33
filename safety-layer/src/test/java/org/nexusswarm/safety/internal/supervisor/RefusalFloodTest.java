package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.Kill;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.RefusalsAggregated;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Refused;
import org.nexusswarm.safety.internal.supervisor.SupervisorHarness.Running;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Note;

/**
 * Red team, issue 8 item 8: a flood of unauthenticated traffic cannot grow a journal without bound. Refusals are
 * counted per claimed source and reason; the first of each (for at most {@code max-sources} sources an interval) is
 * journaled on its own, and the interval closes with one {@code RefusalsAggregated}. 500 junk envelopes add a
 * handful of events, not 500; replays of a captured envelope likewise.
 */
@ExtendWith(LogCapturingExtension.class)
class RefusalFloodTest {

    private static final int MAX_SOURCES = 4;

    private static SupervisorHarness h;

    @BeforeAll
    static void start() {
        h = new SupervisorHarness("RefusalFloodTest", "nexus.swarm.safety.refusals { interval = 4s, max-sources = "
                + MAX_SOURCES + " }");
    }

    @AfterAll
    static void stop() {
        h.shutdown();
    }

    @BeforeEach
    void reset() {
        h.reset();
    }

    /** An envelope from a sender this swarm never admitted, claiming to be {@code sender}. */
    private static SignedEnvelope junk(SwarmKeyPair stranger, String sender, Running r) {
        return h.fixture.signedBytes(stranger, sender, r.address().toString(),
                SafetyFixture.PAYLOADS.toBytes(new Note("junk")));
    }

    private static RefusalsAggregated awaitAggregate(Running r) {
        // The interval is long enough for a test to send its whole flood within one.
        return h.testKit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
            List<RefusalsAggregated> found = h.eventsOf(r, RefusalsAggregated.class);
            assertEquals(1, found.size(), "one aggregate for the interval");
            return found.get(0);
        });
    }

    @Test
    void fiveHundredJunkEnvelopesFromUnknownSendersAddABoundedNumberOfEvents() {
        Running r = h.run(List.of("alert.raise"));
        SwarmKeyPair stranger = Ed25519.generate();
        int before = h.fullJournal(r).size();

        for (int i = 0; i < 500; i++) {
            DeliveryReply reply = h.deliver(r, junk(stranger, "junk-" + i, r)).reply();
            assertEquals(RefusalCode.UNKNOWN_SENDER, assertInstanceOf(DeliveryReply.Refused.class, reply).code(),
                    "every sender is still answered with a typed refusal");
        }
        RefusalsAggregated aggregate = awaitAggregate(r);

        List<SafetyEvent> added = h.fullJournal(r).subList(before, h.fullJournal(r).size());
        List<SafetyEvent> decisions = SupervisorHarness.decisions(added);
        assertEquals(MAX_SOURCES + 1, decisions.size(), "the first of each tracked source, then one aggregate: "
                + SupervisorHarness.types(decisions));
        assertTrue(added.size() <= MAX_SOURCES + 3, "bookkeeping aside, O(1) events: " + added.size());
        assertEquals(MAX_SOURCES, h.eventsOf(r, Refused.class).size());
        assertEquals(500, aggregate.total());
        assertEquals(MAX_SOURCES, aggregate.counts().size());
        assertEquals(500 - MAX_SOURCES, aggregate.otherCount());
        assertTrue(aggregate.counts().stream().allMatch(c -> c.code() == RefusalCode.UNKNOWN_SENDER && c.count() == 1));
        assertTrue(aggregate.toMillis() >= aggregate.fromMillis());
        r.entity().inputs().expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void oneSourceFloodingIsOneRefusalAndOneCount() {
        Running r = h.run(List.of("alert.raise"));
        SwarmKeyPair stranger = Ed25519.generate();

        DeliveryReply.Refused first = assertInstanceOf(DeliveryReply.Refused.class,
                h.deliver(r, junk(stranger, "mallory", r)).reply());
        DeliveryReply.Refused second = null;
        for (int i = 1; i < 200; i++) {
            second = assertInstanceOf(DeliveryReply.Refused.class, h.deliver(r, junk(stranger, "mallory", r)).reply());
        }
        RefusalsAggregated aggregate = awaitAggregate(r);

        assertEquals(h.last(r, Refused.class).chronotope().sequence(), first.sequence(), "the first is journaled");
        assertEquals(0, second.sequence(), "the rest are counted, not journaled one by one");
        assertEquals(List.of(new RefusalsAggregated.RefusalCount("mallory", RefusalCode.UNKNOWN_SENDER, 200)),
                aggregate.counts());
        assertEquals(0, aggregate.otherCount());
    }

    @Test
    void replaysOfACapturedEnvelopeAreCountedNotJournaledEachTime() {
        Running r = h.run(List.of("alert.raise"));
        SignedEnvelope captured = h.fixture.fromOperator(r.address(), new Note("once"));
        assertInstanceOf(DeliveryReply.Accepted.class, h.deliver(r, captured).reply());
        r.entity().inputs().receiveMessage();

        for (int i = 0; i < 100; i++) {
            DeliveryReply.Refused refused = assertInstanceOf(DeliveryReply.Refused.class,
                    h.deliver(r, captured).reply());
            assertEquals(RefusalCode.REPLAYED, refused.code());
        }
        RefusalsAggregated aggregate = awaitAggregate(r);

        assertEquals(1, h.eventsOf(r, Refused.class).size());
        assertEquals(List.of(new RefusalsAggregated.RefusalCount(SafetyFixture.OPERATOR, RefusalCode.REPLAYED, 100)),
                aggregate.counts());
        r.entity().inputs().expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void junkToAQuarantinedEntityIsBoundedToo() {
        Running r = h.run(List.of("alert.raise"));
        TestProbe<EntityStatus> status = h.testKit.createTestProbe();
        r.kit().runCommand(h.fixture.kill(r.address(), "test", status.ref()));
        status.receiveMessage();
        SwarmKeyPair stranger = Ed25519.generate();

        for (int i = 0; i < 100; i++) {
            assertEquals(RefusalCode.UNKNOWN_SENDER, assertInstanceOf(DeliveryReply.Refused.class,
                    h.deliver(r, junk(stranger, "junk", r)).reply()).code());
        }
        RefusalsAggregated aggregate = awaitAggregate(r);

        assertEquals(100, aggregate.total());
        assertEquals(1, h.eventsOf(r, Refused.class).size());
    }

    @Test
    void theSettingsRefuseAnUnboundedConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> RefusalTally.Settings.from(ConfigFactory.parseString(
                "nexus.swarm.safety.refusals { interval = 10s, max-sources = 0 }")));
        assertThrows(IllegalArgumentException.class, () -> RefusalTally.Settings.from(ConfigFactory.parseString(
                "nexus.swarm.safety.refusals { interval = 0s, max-sources = 4 }")));
        RefusalTally.Settings defaults = RefusalTally.Settings.from(ConfigFactory.load());
        assertEquals(Duration.ofSeconds(10), defaults.interval());
        assertEquals(16, defaults.maxSources());
    }
}
