package org.nexusswarm.coordinator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every profile a cluster can be built from runs Pekko's split-brain resolver with keep-majority and a
 * stable-after sized for small clusters: without a downing provider an unreachable member is never removed and
 * its shards never move; with a stable-after much shorter than the failure detector's pause, a GC pause downs a
 * healthy node; much longer, and a crashed node's entities stay away for minutes.
 */
class SplitBrainResolverConfigTest {

    static List<String> multiNodeProfiles() {
        return List.of("local-cluster", "production");
    }

    @ParameterizedTest
    @MethodSource("multiNodeProfiles")
    void aMultiNodeProfileRunsKeepMajority(String profile) {
        assertKeepMajority(SwarmConfig.load(profile, Map.of()), Duration.ofSeconds(5), Duration.ofSeconds(20));
    }

    @Test
    void theProfileFileItselfSaysSoNotOnlyTheDefaults() {
        // A profile that a deployment copies on its own (without application.conf) must still carry the resolver.
        for (String profile : multiNodeProfiles()) {
            Config own = ConfigFactory.parseResourcesAnySyntax("nexus/profiles/" + profile + ".conf")
                    .withFallback(ConfigFactory.defaultReference()).resolve();
            assertKeepMajority(own, Duration.ofSeconds(5), Duration.ofSeconds(20));
        }
    }

    @Test
    void theLocalClusterFailsOverFastEnoughForAFewJvmsOnOneMachine() {
        Config c = SwarmConfig.load("local-cluster", Map.of());
        // Pekko's guideline for up to 5 nodes; the failover target (<= 10 s after kill -9) needs it short.
        assertEquals(Duration.ofSeconds(7), c.getDuration("pekko.cluster.split-brain-resolver.stable-after"));
    }

    @Test
    void aOneNodeDevNodeHasTheResolverTooSoJoiningItByHandIsSafe() {
        assertKeepMajority(SwarmConfig.load("dev", Map.of()), Duration.ofSeconds(5), Duration.ofSeconds(20));
    }

    @Test
    void stableAfterCanBeTunedPerDeployment() {
        Config c = SwarmConfig.load("local-cluster",
                Map.of("pekko.cluster.split-brain-resolver.stable-after", "12s"));
        assertEquals(Duration.ofSeconds(12), c.getDuration("pekko.cluster.split-brain-resolver.stable-after"));
    }

    private static void assertKeepMajority(Config c, Duration atLeast, Duration atMost) {
        String provider = c.getString("pekko.cluster.downing-provider-class");
        assertEquals("org.apache.pekko.cluster.sbr.SplitBrainResolverProvider", provider);
        assertTrue(classExists(provider), provider + " is not on the classpath");
        assertEquals("keep-majority", c.getString("pekko.cluster.split-brain-resolver.active-strategy"));
        Duration stable = c.getDuration("pekko.cluster.split-brain-resolver.stable-after");
        assertTrue(stable.compareTo(atLeast) >= 0 && stable.compareTo(atMost) <= 0, "stable-after " + stable);
        // The resolver must outwait the failure detector, or a paused node is downed before it can answer.
        Duration pause = c.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause");
        assertTrue(stable.compareTo(pause) > 0, "stable-after " + stable + " <= heartbeat pause " + pause);
        // Decisions that cannot be made while membership keeps changing end in downing everyone, not in both sides
        // staying up.
        assertEquals("on", c.getString("pekko.cluster.split-brain-resolver.down-all-when-unstable"));
    }

    private static boolean classExists(String name) {
        try {
            Class.forName(name);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
