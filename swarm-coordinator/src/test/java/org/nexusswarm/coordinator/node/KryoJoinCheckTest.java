package org.nexusswarm.coordinator.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.serialization.SwarmKryo;

/** A node of another build (other message registrations) is refused at join; one of the same build joins. */
class KryoJoinCheckTest {

    private static Config node(String fingerprint) {
        return ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                pekko.cluster.configuration-compatibility-check.checkers.nexus-kryo = \
                  "org.nexusswarm.coordinator.node.KryoJoinCheck"
                pekko.loglevel = WARNING
                """).withValue(KryoJoinCheck.KEY, com.typesafe.config.ConfigValueFactory.fromAnyRef(fingerprint))
                .withFallback(ConfigFactory.defaultReference());
    }

    @Test
    void theFingerprintIsStableAndNamesTheFormat() {
        String a = SwarmKryo.withoutActorRefs().fingerprint();
        assertEquals(a, SwarmKryo.withoutActorRefs().fingerprint());
        assertEquals(32, a.length());
    }

    @Test
    void aNodeOfAnotherBuildIsRefusedAtJoinAndShutsDown() throws Exception {
        ActorSystem seed = ActorSystem.create("nexus-swarm", node("aaaa"));
        Cluster.get(seed).join(Cluster.get(seed).selfAddress());
        // Through seed nodes, as every swarm node joins (the check is part of the seed-node handshake).
        String seeds = "pekko.cluster.seed-nodes = [\"" + Cluster.get(seed).selfAddress() + "\"]";
        ActorSystem same = ActorSystem.create("nexus-swarm", ConfigFactory.parseString(seeds).withFallback(node("aaaa")));
        ActorSystem other = ActorSystem.create("nexus-swarm", ConfigFactory.parseString(seeds)
                .withFallback(node("bbbb")));
        try {
            new TestKit(seed).awaitAssert(Duration.ofSeconds(30), () -> {
                assertEquals(MemberStatus.up(), Cluster.get(same).selfMember().status());
                return null;
            });
            other.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertEquals(CoordinatedShutdown.incompatibleConfigurationDetectedReason(),
                    CoordinatedShutdown.get(other).getShutdownReason().orElseThrow());
            for (var m : Cluster.get(seed).state().getMembers()) {
                assertTrue(!m.address().equals(Cluster.get(other).selfAddress()), "the other build joined");
            }
        } finally {
            TestKit.shutdownActorSystem(other);
            TestKit.shutdownActorSystem(same);
            TestKit.shutdownActorSystem(seed);
        }
    }
}
