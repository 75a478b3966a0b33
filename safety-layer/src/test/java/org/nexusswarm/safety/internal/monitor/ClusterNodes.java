package org.nexusswarm.safety.internal.monitor;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/** Test support: cluster nodes in this JVM on free loopback ports, every message through Kryo. */
final class ClusterNodes {

    private ClusterNodes() {}

    static Config config(String extra) {
        return ConfigFactory.parseString(extra + "\n"
                        + "pekko.actor.provider = cluster\n"
                        + "pekko.remote.artery.canonical.hostname = \"127.0.0.1\"\n"
                        + "pekko.remote.artery.canonical.port = 0\n"
                        + "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on\n"
                        + "pekko.coordinated-shutdown.terminate-actor-system = on\n")
                .withFallback(ConfigFactory.load("application-test"));
    }

    /** A node that forms a cluster of its own; returns once it is Up. */
    static ActorTestKit firstNode(String name, String extra) {
        ActorTestKit kit = ActorTestKit.create(name, config(extra));
        Cluster cluster = Cluster.get(kit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        awaitUp(kit, 1);
        return kit;
    }

    /** A node that joins {@code seed}'s cluster; returns once both see every member Up. */
    static ActorTestKit joining(ActorTestKit seed, String extra) {
        ActorTestKit kit = ActorTestKit.create(seed.system().name(), config(extra));
        Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(seed.system()).selfMember().address()));
        int members = Cluster.get(seed.system()).state().members().size() + 1;
        awaitUp(kit, members);
        awaitUp(seed, members);
        return kit;
    }

    private static void awaitUp(ActorTestKit kit, int members) {
        ActorSystem<?> system = kit.system();
        kit.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
            var state = Cluster.get(system).state();
            if (state.members().size() != members) {
                throw new AssertionError(state.members().size() + " of " + members + " members");
            }
            for (var m : state.getMembers()) {
                if (m.status() != MemberStatus.up()) {
                    throw new AssertionError(m + " not up yet");
                }
            }
            return null;
        });
    }
}
