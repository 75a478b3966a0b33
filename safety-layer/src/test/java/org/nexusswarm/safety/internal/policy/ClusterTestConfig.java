package org.nexusswarm.safety.internal.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/** One-JVM cluster members for the policy tests: cluster provider, artery TCP on a free port, test journal. */
final class ClusterTestConfig {

    private ClusterTestConfig() {}

    static Config config() {
        return ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.remote.artery.transport = tcp
                pekko.remote.artery.canonical.hostname = "127.0.0.1"
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                pekko.cluster.distributed-data.gossip-interval = 200ms
                pekko.cluster.distributed-data.notify-subscribers-interval = 100ms
                """)
                .withFallback(EventSourcedBehaviorTestKit.config())
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.load("application-test"));
    }

    /** Joins {@code system} to the cluster of {@code seed} (itself for a one-node cluster) and waits until Up. */
    static void join(ActorTestKit testKit, ActorSystem<?> system, ActorSystem<?> seed) {
        Cluster cluster = Cluster.get(system);
        cluster.manager().tell(Join.create(Cluster.get(seed).selfMember().address()));
        testKit.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
            assertEquals(MemberStatus.up(), cluster.selfMember().status());
            return null;
        });
    }
}
