package org.nexusswarm.coordinator.rail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.packs.Packs;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.packs.RailOptions;
import org.nexusswarm.safety.api.credential.Credential;
import org.nexusswarm.safety.api.registry.EntitySpec;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/** Rail deployment issues place-bound credentials, hybrid ones on request, and trusts the issuer accordingly. */
class RailDeployerTest {

    private static ActorTestKit nodeA;
    private static ActorTestKit nodeB;

    @BeforeAll
    static void start() {
        nodeA = ActorTestKit.create("RailDeployerTestA", ConfigFactory.load("application-test"));
        nodeB = ActorTestKit.create("RailDeployerTestB", ConfigFactory.load("application-test"));
    }

    @AfterAll
    static void stop() {
        nodeB.shutdownTestKit();
        nodeA.shutdownTestKit();
    }

    private static RailBlueprint blueprint(String instance) {
        return Packs.find("climate").rail("drought-watch", new RailOptions(4, 2, 1, 2, 2, 11, instance));
    }

    private static void assertAllValid(SafetyRegistry registry, DeployedRail rail) {
        long now = System.currentTimeMillis();
        for (EntitySpec spec : rail.specs()) {
            assertEquals(Optional.empty(), spec.credential().check(spec.signer().did(), registry.trusted(), now),
                    spec.address().toString());
            assertTrue(spec.credential().allowsPlace(spec.place()), spec.address() + " may act in its place");
        }
    }

    @Test
    void classicDeploymentBindsAgentsToTheirPlace() {
        SafetyRegistry registry = SafetyRegistry.get(nodeA.system());
        DeployedRail rail = RailDeployer.deploy(registry, blueprint("classic"));

        assertAllValid(registry, rail);
        for (EntitySpec spec : rail.specs()) {
            Credential c = spec.credential();
            assertFalse(c.postQuantum());
            assertTrue(c.limits().unlimited());
            List<String> expected = spec.address().kind() == EntityKind.AGENT ? List.of(spec.place()) : List.of("*");
            assertEquals(expected, c.places(), spec.address().toString());
        }
        assertFalse(registry.trusted().entry(rail.issuer().did().value()).orElseThrow().requirePq());
        assertTrue(RailDeployer.issuerMlDsaPublicKey(rail).isEmpty());
    }

    @Test
    void postQuantumDeploymentIsHybridAndRequiredOnEveryNode() {
        SafetyRegistry registry = SafetyRegistry.get(nodeA.system());
        DeployedRail rail = RailDeployer.deploy(registry, blueprint("pq"), true);

        assertTrue(rail.specs().stream().allMatch(s -> s.credential().postQuantum()));
        assertTrue(registry.trusted().entry(rail.issuer().did().value()).orElseThrow().requirePq());
        assertAllValid(registry, rail);

        SafetyRegistry other = SafetyRegistry.get(nodeB.system());
        RailDeployer.deployOnto(other, rail);
        assertTrue(other.trusted().entry(rail.issuer().did().value()).orElseThrow().requirePq());
        assertAllValid(other, rail);
        // Without its ML-DSA proof a credential of this rail is refused.
        EntitySpec first = rail.specs().get(0);
        Credential stripped = first.credential().withProofs(List.of(
                first.credential().proof(Credential.Proof.ED25519).orElseThrow()));
        assertTrue(stripped.check(first.signer().did(), other.trusted(), System.currentTimeMillis()).isPresent());
    }
}
