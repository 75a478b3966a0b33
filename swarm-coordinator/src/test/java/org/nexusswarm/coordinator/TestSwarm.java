package org.nexusswarm.coordinator;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.nexusswarm.clusterconfig.DevCassandra;
import org.nexusswarm.clusterconfig.TestCassandra;
import org.nexusswarm.coordinator.cli.CassandraConnection;
import org.nexusswarm.coordinator.config.SwarmConfig;
import org.nexusswarm.coordinator.node.SwarmNode;

/**
 * Integration-test support: nodes wired to the real Cassandra that the build starts once per test JVM
 * ({@link TestCassandra}: fresh data directory, free ports, stopped when the JVM exits). Each test class
 * uses its own keyspace so tests never see each other's journals.
 */
public final class TestSwarm {

    private TestSwarm() {}

    public static String contactPoint() {
        DevCassandra cassandra = TestCassandra.shared();
        return cassandra.contactPoint().getHostString() + ":" + cassandra.contactPoint().getPort();
    }

    /** Configuration for a node on loopback using {@code keyspace}; extra HOCON overrides optional. */
    public static Config config(String keyspace, Map<String, Object> extra) {
        Map<String, Object> overrides = new HashMap<>(extra);
        overrides.put("nexus.swarm.cassandra.contact-points", contactPoint());
        overrides.put("nexus.swarm.cassandra.keyspace", keyspace);
        // Every message crosses the Kryo serializer even inside one JVM, as it would between nodes.
        overrides.put("pekko.actor.serialize-messages", "on");
        overrides.put("nexus.swarm.operator-api.port", 0);
        // Test nodes keep their checkpoint key and trust list under target/, never in a user's .nexus.
        overrides.putIfAbsent("nexus.swarm.memory.node-keystore-file", "target/test-keys/node.bcfks");
        overrides.putIfAbsent("nexus.swarm.memory.trusted-nodes-file", "target/test-keys/trusted-nodes");
        // One manifest directory per test JVM: a manifest left by an earlier build would (rightly) refuse the
        // recompiled pack.
        overrides.putIfAbsent("nexus.swarm.packs.admission.manifest-dir", manifestDir());
        overrides.putIfAbsent("nexus.swarm.packs.admission.trusted-publishers-file", trustedPublishersFile());
        Config config = SwarmConfig.load("dev", overrides);
        try (CassandraConnection connection = CassandraConnection.open(config, true, new java.io.PrintWriter(System.out, true))) {
            return connection.apply(config);
        }
    }

    /** The manifest directory of this test JVM's nodes (pack admission). */
    public static String manifestDir() {
        return "target/test-keys/packs-" + ProcessHandle.current().pid();
    }

    /** The pack publishers this test JVM's nodes trust. */
    public static String trustedPublishersFile() {
        return "target/test-keys/trusted-pack-publishers";
    }

    /** The integration tests' operator, admitted as {@code operator:it} on every node {@link #node} starts. */
    public static final org.nexusswarm.actors.identity.SwarmKeyPair IT_OPERATOR =
            org.nexusswarm.actors.identity.Ed25519.generate();

    public static SwarmNode node(String keyspace) {
        SwarmNode node = SwarmNode.start(config(keyspace, Map.of()), Duration.ofSeconds(30));
        node.registry().identities().admit(IT_OPERATOR.did(), "operator:it");
        return node;
    }

    /** The swarm the test nodes are (their ActorSystem name; no audience is configured). */
    public static final String AUDIENCE = org.nexusswarm.coordinator.node.SwarmNode.SYSTEM_NAME;

    /** A Kill of {@code target} carrying {@link #IT_OPERATOR}'s signed command. */
    public static org.nexusswarm.actors.protocol.Kill kill(org.nexusswarm.actors.entity.EntityAddress target,
            String reason, org.apache.pekko.actor.typed.ActorRef<org.nexusswarm.actors.protocol.EntityStatus> replyTo) {
        return new org.nexusswarm.actors.protocol.Kill(org.nexusswarm.safety.api.operator.OperatorTokens.sign(IT_OPERATOR,
                AUDIENCE, org.nexusswarm.safety.api.operator.OperatorCommandKind.KILL, org.nexusswarm.safety.api.operator.OperatorTokens
                        .body("scope", "ENTITY", "name", target.toString(), "reason", reason)), replyTo);
    }

    /** A RequestRelease of {@code target} carrying {@link #IT_OPERATOR}'s signed command. */
    public static org.nexusswarm.actors.protocol.RequestRelease release(
            org.nexusswarm.actors.entity.EntityAddress target, String reason,
            org.apache.pekko.actor.typed.ActorRef<org.nexusswarm.actors.protocol.EntityStatus> replyTo) {
        return new org.nexusswarm.actors.protocol.RequestRelease(org.nexusswarm.safety.api.operator.OperatorTokens.sign(
                IT_OPERATOR, AUDIENCE, org.nexusswarm.safety.api.operator.OperatorCommandKind.RELEASE,
                org.nexusswarm.safety.api.operator.OperatorTokens.body("entity", target.toString(), "reason", reason)),
                replyTo);
    }
}
