package org.nexusswarm.safety.internal.policy;

import org.nexusswarm.safety.api.policy.PolicyTexts;

import org.nexusswarm.safety.api.policy.Policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Policy distribution between two cluster members through Distributed Data, and the local view's rules. */
@ExtendWith(LogCapturingExtension.class)
class PolicyRegistryTest {

    private static final Duration CONVERGE = Duration.ofSeconds(15);
    private static ActorTestKit nodeA;
    private static ActorTestKit nodeB;

    @BeforeAll
    static void start() {
        nodeA = ActorTestKit.create("PolicyRegistryTest", ClusterTestConfig.config());
        nodeB = ActorTestKit.create("PolicyRegistryTest", ClusterTestConfig.config());
        ClusterTestConfig.join(nodeA, nodeA.system(), nodeA.system());
        ClusterTestConfig.join(nodeB, nodeB.system(), nodeA.system());
    }

    @AfterAll
    static void stop() {
        nodeB.shutdownTestKit();
        nodeA.shutdownTestKit();
    }

    private static PolicyRegistry a() {
        return PolicyRegistry.get(nodeA.system());
    }

    private static PolicyRegistry b() {
        return PolicyRegistry.get(nodeB.system());
    }

    private static void awaitVersionOnB(String scope, long version) {
        nodeB.createTestProbe().awaitAssert(CONVERGE, () -> {
            assertEquals(version, b().current(scope).map(Policy::version).orElse(0L));
            return null;
        });
    }

    @Test
    void publishedPoliciesReachEveryNode() {
        Policy policy = PolicyTexts.parsed("rail:replicated", 1, "a { action = \"a\" }");
        a().publish(policy);
        assertEquals(policy, a().current("rail:replicated").orElseThrow());
        awaitVersionOnB("rail:replicated", 1);
        assertEquals(policy.sha256(), b().current("rail:replicated").orElseThrow().sha256());
    }

    @Test
    void anOlderVersionNeverReplacesANewerOne() {
        a().publish(PolicyTexts.parsed("rail:ordered", 3, "a { action = \"a\" }"));
        awaitVersionOnB("rail:ordered", 3);
        a().publish(PolicyTexts.parsed("rail:ordered", 2, "b { action = \"b\" }"));
        b().publish(PolicyTexts.parsed("rail:ordered", 1, "c { action = \"c\" }"));
        // A later marker write from A has reached B once B sees it; the stale writes travelled before it.
        a().publish(PolicyTexts.parsed("rail:ordered-marker", 1, "a { action = \"a\" }"));
        awaitVersionOnB("rail:ordered-marker", 1);
        assertEquals(3, a().current("rail:ordered").orElseThrow().version());
        assertEquals(3, b().current("rail:ordered").orElseThrow().version());
        assertEquals("a", b().current("rail:ordered").orElseThrow().rules().get(0).id());
    }

    @Test
    void aReplicatedTextThatDoesNotParseIsNeverLoaded() {
        TestProbe<Replicator.UpdateResponse<LWWMap<String, String>>> probe = nodeA.createTestProbe();
        var node = DistributedData.get(nodeA.system()).selfUniqueAddress();
        String good = PolicyTexts.simple("rail:good", 1);
        DistributedData.get(nodeA.system()).replicator().tell(new Replicator.Update<>(PolicyRegistry.KEY,
                LWWMap.empty(), Replicator.writeLocal(), probe.ref(),
                m -> m.put(node, "rail:junk", "rules {").put(node, "rail:mislabelled", PolicyTexts.simple("rail:x", 1))
                        .put(node, "rail:good", good)));
        probe.expectMessageClass(Replicator.UpdateSuccess.class);
        awaitVersionOnB("rail:good", 1);
        assertTrue(b().current("rail:junk").isEmpty(), "junk is never loaded: fail closed");
        assertTrue(b().current("rail:mislabelled").isEmpty(), "a text under the wrong scope is ignored");
        assertEquals(List.of(), b().applicable("junk", "none"));
    }

    @Test
    void localPoliciesYieldToReplicatedOnesOfEqualOrHigherVersion() {
        b().loadLocal(PolicyTexts.parsed("rail:local", 5, "a { action = \"a\" }"));
        assertEquals(5, b().current("rail:local").orElseThrow().version());
        assertTrue(a().current("rail:local").isEmpty(), "local means this node only");
        a().publish(PolicyTexts.parsed("rail:local", 4, "b { action = \"b\" }"));
        a().publish(PolicyTexts.parsed("rail:local-marker", 1, "a { action = \"a\" }"));
        awaitVersionOnB("rail:local-marker", 1);
        assertEquals(5, b().current("rail:local").orElseThrow().version(), "the higher local version stays");
        a().publish(PolicyTexts.parsed("rail:local", 6, "c { action = \"c\" }"));
        awaitVersionOnB("rail:local", 6);
        assertTrue(b().all().containsKey("rail:local"));
    }

    @Test
    void applicableListsTheRailThenThePack() {
        Policy rail = PolicyTexts.parsed("rail:app", 2, "a { action = \"a\" }");
        Policy pack = PolicyTexts.parsed("pack:app", 1, "a { action = \"a\" }");
        a().loadLocal(pack);
        a().loadLocal(rail);
        assertEquals(List.of(rail, pack), a().applicable("app", "app"));
        assertEquals(List.of(pack), a().applicable("other", "app"));
        assertEquals(List.of(), a().applicable("other", "other"));
        assertEquals(List.of(rail), a().applicable("app", null));
    }

    @Test
    void withoutAClusterTheRegistryIsLocal() {
        ActorTestKit local = ActorTestKit.create("PolicyRegistryLocal");
        try {
            PolicyRegistry registry = PolicyRegistry.get(local.system());
            Policy policy = PolicyTexts.parsed("rail:solo", 1, "a { action = \"a\" }");
            registry.publish(policy);
            assertEquals(policy, registry.current("rail:solo").orElseThrow());
        } finally {
            local.shutdownTestKit();
        }
    }
}
