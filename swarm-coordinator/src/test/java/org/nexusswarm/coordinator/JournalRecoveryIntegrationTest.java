package org.nexusswarm.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.GetStatus;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.coordinator.node.SwarmNode;
import org.nexusswarm.coordinator.rail.DeployedRail;
import org.nexusswarm.coordinator.rail.RailDeployer;
import org.nexusswarm.memory.journal.JournalEntry;
import org.nexusswarm.memory.journal.JournalReader;
import org.nexusswarm.packs.Packs;
import org.nexusswarm.packs.RailOptions;
import org.nexusswarm.packs.Signal;

/**
 * Journals are real and durable: state written by one actor system against the real Cassandra is recovered by
 * a brand-new actor system, and Persistence Query reads the same events back with an intact hash chain.
 */
class JournalRecoveryIntegrationTest {

    private static final String KEYSPACE = "it_recovery";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aNewActorSystemRecoversAcceptedMessagesAndQuarantineFromCassandra() throws Exception {
        RailOptions options = new RailOptions(4, 2, 1, 2, 2, 7);
        DeployedRail rail;
        EntityAddress agent;
        EntityAddress killed;
        EntityStatus agentBefore;
        try (SwarmNode first = TestSwarm.node(KEYSPACE)) {
            rail = RailDeployer.deploy(first.registry(), Packs.find("climate").rail("drought-watch", options));
            Signal reading = rail.blueprint().signals().round(1).get(0);
            agent = reading.target();
            killed = rail.blueprint().signals().round(1).get(1).target();

            DeliveryReply reply = ask(first, agent, r -> new Deliver(rail.feed().envelope(agent, reading.payload()), r));
            assertInstanceOf(DeliveryReply.Accepted.class, reply);
            EntityStatus killedStatus = ask(first, killed, r -> TestSwarm.kill(killed, "recovery test", r));
            assertTrue(killedStatus.quarantined());
            agentBefore = ask(first, agent, GetStatus::new);
            assertTrue(agentBefore.lastSequence() >= 1);
        }

        try (SwarmNode second = TestSwarm.node(KEYSPACE)) {
            RailDeployer.deployOnto(second.registry(), rail);
            EntityStatus agentAfter = ask(second, agent, GetStatus::new);
            assertFalse(agentAfter.quarantined());
            assertTrue(agentAfter.lastSequence() >= agentBefore.lastSequence(),
                    "recovered sequence " + agentAfter.lastSequence() + " < " + agentBefore.lastSequence());

            EntityStatus killedAfter = ask(second, killed, GetStatus::new);
            assertTrue(killedAfter.quarantined(), "quarantine must survive a full restart");
            assertEquals("recovery test", killedAfter.reason());
            DeliveryReply refused = ask(second, killed, r -> new Deliver(rail.feed().envelope(killed,
                    rail.blueprint().signals().round(2).get(1).payload()), r));
            assertInstanceOf(DeliveryReply.Refused.class, refused);
            assertEquals(RefusalCode.QUARANTINED, ((DeliveryReply.Refused) refused).code());

            JournalReader reader = new JournalReader(second.system(), "pekko.persistence.cassandra.query");
            List<JournalEntry> journal = reader.readAll(killed.persistenceId()).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            List<String> types = journal.stream().map(JournalEntry::type).toList();
            assertTrue(types.contains("Killed"), "journal read back through Persistence Query: " + types);
            assertEquals("Refused", types.get(types.size() - 1));
            assertTrue(journal.stream().allMatch(JournalEntry::chainIntact), "hash chain intact: " + journal);
            for (int i = 0; i < journal.size(); i++) {
                assertEquals(i + 1, journal.get(i).sequenceNr());
                assertEquals(i + 1, journal.get(i).chronotope().sequence());
            }
        }
    }

    /**
     * A long-lived entity recovers from its latest snapshot, not from its whole history: after the journal rows up
     * to that snapshot are deleted straight from Cassandra, the entity still recovers the quarantine that only
     * those early events recorded. (Replayed from scratch, it would come back active.)
     */
    @Test
    void aLongJournalRecoversFromItsLatestSnapshotWithoutItsEarlyEvents() throws Exception {
        String keyspace = "it_snapshots";
        com.typesafe.config.Config config = TestSwarm.config(keyspace, java.util.Map.of(
                "nexus.swarm.safety.snapshot-every", 20));
        RailOptions options = new RailOptions(4, 2, 1, 2, 2, 7);
        DeployedRail rail;
        EntityAddress entity;
        EntityStatus before;
        try (SwarmNode first = SwarmNode.start(config, Duration.ofSeconds(30))) {
            first.registry().identities().admit(TestSwarm.IT_OPERATOR.did(), "operator:it");
            rail = RailDeployer.deploy(first.registry(), Packs.find("climate").rail("drought-watch", options));
            Signal reading = rail.blueprint().signals().round(1).get(0);
            entity = reading.target();
            EntityAddress target = entity;
            EntityStatus killed = ask(first, target, r -> TestSwarm.kill(target, "early incident", r));
            assertTrue(killed.quarantined());
            for (int i = 0; i < 50; i++) {
                DeliveryReply refused = ask(first, target, r -> new Deliver(rail.feed().envelope(target,
                        reading.payload()), r));
                assertInstanceOf(DeliveryReply.Refused.class, refused);
            }
            before = ask(first, target, GetStatus::new);
            assertTrue(before.lastSequence() >= 50);
        }

        long snapshotAt;
        try (com.datastax.oss.driver.api.core.CqlSession cql = com.datastax.oss.driver.api.core.CqlSession.builder()
                .addContactPoint(org.nexusswarm.clusterconfig.TestCassandra.shared().contactPoint())
                .withLocalDatacenter("datacenter1").build()) {
            String snapshots = config.getString("pekko.persistence.cassandra.snapshot.keyspace") + ".snapshots";
            String messages = config.getString("pekko.persistence.cassandra.journal.keyspace") + ".messages";
            snapshotAt = cql.execute("SELECT sequence_nr FROM " + snapshots + " WHERE persistence_id = ?",
                            entity.persistenceId()).all().stream().mapToLong(row -> row.getLong(0)).max()
                    .orElseThrow(() -> new AssertionError("no snapshot was written"));
            assertTrue(snapshotAt >= 40, "snapshot at " + snapshotAt);
            cql.execute("DELETE FROM " + messages + " WHERE persistence_id = ? AND partition_nr = 0 AND sequence_nr <= ?",
                    entity.persistenceId(), snapshotAt);
        }

        try (SwarmNode second = SwarmNode.start(config, Duration.ofSeconds(30))) {
            second.registry().identities().admit(TestSwarm.IT_OPERATOR.did(), "operator:it");
            RailDeployer.deployOnto(second.registry(), rail);
            EntityStatus after = ask(second, entity, GetStatus::new);
            assertTrue(after.quarantined(), "recovered from the snapshot (the Killed event itself is gone)");
            assertEquals("early incident", after.reason());
            assertEquals(before.lastSequence(), after.lastSequence());
        }
    }

    private static <R> R ask(SwarmNode node, EntityAddress target,
            java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<R>,
                    org.nexusswarm.actors.protocol.EntityCommand> message) throws Exception {
        return node.<R>ask(target, message).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
