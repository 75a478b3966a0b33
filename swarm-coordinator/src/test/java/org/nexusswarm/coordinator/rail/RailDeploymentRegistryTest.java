package org.nexusswarm.coordinator.rail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.packs.RailOptions;
import org.nexusswarm.safety.api.credential.RailSecret;

/**
 * The rail deployment registry: stores signed records, answers an idempotent retry, refuses a second record for a
 * deployed instance and any record its issuer did not sign, and recovers its state from the journal.
 */
class RailDeploymentRegistryTest {

    private static ActorTestKit testKit;
    private EventSourcedBehaviorTestKit<RailDeploymentRegistry.Command, SwarmMessage, RailDeploymentRegistry.State> kit;
    private final RailSecret secret = RailSecret.generate();

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("RailDeploymentRegistryTest", EventSourcedBehaviorTestKit.config()
                .withFallback(ConfigFactory.load("application-test")));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void fresh() {
        kit = EventSourcedBehaviorTestKit.create(testKit.system(),
                RailDeploymentRegistry.create(RailDeploymentRegistry.REGISTRY_ID));
        kit.clear();
    }

    private RailDeployment record(String instance, long at) {
        return RailDeployer.record("climate", "drought-watch", new RailOptions(4, 2, 1, 2, 2, 11, instance), instance,
                secret, false, at, 3);
    }

    private StatusReply<RailDeployment> deploy(RailDeployment record) {
        return kit.<StatusReply<RailDeployment>>runCommand(r -> new RailDeploymentRegistry.Deploy(record, r))
                .reply();
    }

    @Test
    void aSignedRecordIsStoredOnceAndSurvivesARestart() {
        RailDeployment dw = record("dw", 1000);
        var first = kit.<StatusReply<RailDeployment>>runCommand(r -> new RailDeploymentRegistry.Deploy(dw, r));
        assertEquals(StatusReply.success(dw), first.reply());
        assertEquals(new RailDeploymentRegistry.RailDeployed(dw), first.event());
        // The same record again (a retry): answered, nothing journaled.
        var again = kit.<StatusReply<RailDeployment>>runCommand(r -> new RailDeploymentRegistry.Deploy(dw, r));
        assertEquals(StatusReply.success(dw), again.reply());
        assertTrue(again.hasNoEvents());

        kit.restart();
        assertEquals(Map.of("dw", dw), kit.getState().active());
        var listing = kit.<RailDeploymentRegistry.Deployments>runCommand(RailDeploymentRegistry.GetDeployments::new);
        assertEquals(List.of(dw), listing.reply().records());
    }

    @Test
    void aSecondRecordForADeployedInstanceIsAConflict() {
        deploy(record("dw", 1000));
        StatusReply<RailDeployment> other = deploy(record("dw", 2000));
        assertTrue(other.isError());
        assertTrue(other.getError().getMessage().startsWith("conflict: "), other.getError().getMessage());
        assertEquals(1000, kit.getState().active().get("dw").deployedAt());
    }

    @Test
    void unsignedTamperedOrInMemoryRecordsAreRefused() {
        RailDeployment dw = record("dw", 1000);
        RailDeployment moreAgents = new RailDeployment(dw.pack(), dw.rail(), dw.instance(), 50, dw.delegators(),
                dw.rogueAgents(), dw.replicas(), dw.quorum(), dw.seed(), dw.deployedAt(), dw.validityMillis(),
                dw.postQuantum(), dw.issuerDid(), dw.issuerMlDsaKey(), dw.policyVersion(), dw.signature());
        RailDeployment unsigned = dw.withSignature("");
        RailDeployment inMemory = RailDeployer.record("climate", "drought-watch", null, "mem", secret, false, 1000, 0);
        RailDeployment badName = RailDeployer.record("climate", "drought-watch", null, "../x", secret, false, 1000, 0);
        for (RailDeployment bad : List.of(moreAgents, unsigned, inMemory, badName)) {
            var result = kit.<StatusReply<RailDeployment>>runCommand(r -> new RailDeploymentRegistry.Deploy(bad, r));
            assertTrue(result.reply().isError(), bad.toString());
            assertTrue(result.reply().getError().getMessage().startsWith("invalid: "));
            assertTrue(result.hasNoEvents());
        }
        assertTrue(kit.getState().active().isEmpty());
    }

    private String undeploySignature(RailSecret by, RailDeployment record, long at) {
        return java.util.Base64.getEncoder().encodeToString(by.issuerKeys(record.instance(), false).ed25519().sign(
                RailDeploymentRegistry.undeployBytes(record.instance(), record.issuerDid(), record.deployedAt(), at)));
    }

    private StatusReply<RailDeployment> undeploy(RailDeployment record, long at, String signature) {
        return kit.<StatusReply<RailDeployment>>runCommand(r -> new RailDeploymentRegistry.Undeploy(
                record.instance(), record.deployedAt(), at, signature, r)).reply();
    }

    @Test
    void undeployNeedsTheIssuersSignatureForThatDeployment() {
        RailDeployment dw = record("dw", 1000);
        deploy(dw);
        // A cluster member without the rail secret cannot take the rail away.
        StatusReply<RailDeployment> forged = undeploy(dw, 5000, undeploySignature(RailSecret.generate(), dw, 5000));
        assertTrue(forged.getError().getMessage().startsWith("forbidden: "), forged.getError().getMessage());
        assertTrue(undeploy(dw, 5000, "").isError());
        // Signed for another time than it claims: refused.
        assertTrue(undeploy(dw, 5001, undeploySignature(secret, dw, 5000)).isError());
        assertEquals(Map.of("dw", dw), kit.getState().active());

        String signature = undeploySignature(secret, dw, 5000);
        var undeployed = kit.<StatusReply<RailDeployment>>runCommand(r -> new RailDeploymentRegistry.Undeploy(
                "dw", dw.deployedAt(), 5000, signature, r));
        assertEquals(StatusReply.success(dw), undeployed.reply());
        assertEquals(new RailDeploymentRegistry.RailUndeployed("dw", 5000), undeployed.event());
        assertTrue(undeploy(dw, 5000, signature).getError().getMessage().startsWith("not found: "));

        // Redeployed: the old undeploy (a replay) names the earlier deployment and is refused.
        RailDeployment again = record("dw", 7000);
        assertEquals(StatusReply.success(again), deploy(again));
        var replayed = kit.<StatusReply<RailDeployment>>runCommand(r -> new RailDeploymentRegistry.Undeploy(
                "dw", dw.deployedAt(), 5000, signature, r));
        assertTrue(replayed.reply().getError().getMessage().startsWith("conflict: "));
        assertTrue(replayed.hasNoEvents());
        kit.restart();
        assertEquals(7000, kit.getState().active().get("dw").deployedAt());
    }
}
