package org.nexusswarm.coordinator.rail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.packs.Packs;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.packs.RailOptions;
import org.nexusswarm.safety.api.credential.RailSecret;
import org.nexusswarm.safety.api.credential.RailSecretStore;
import org.nexusswarm.safety.api.registry.EntitySpec;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * Two nodes (two ActorSystems), each with its own keystore file holding the same imported rail secret, derive
 * byte-identical keys and credentials from one deployment record; a node without the secret, and a record whose
 * issuer was changed, are refused with a typed reason and register nothing.
 */
class RailKeysAcrossNodesTest {

    private static final char[] PW_A = "keystore-a-password".toCharArray();
    private static final char[] PW_B = "keystore-b-password".toCharArray();
    private static final char[] EXPORT = "an export password".toCharArray();
    private static final RailOptions OPTIONS = new RailOptions(4, 2, 1, 2, 2, 11, "dw-shared");

    @TempDir
    Path tmp;
    private ActorTestKit nodeA;
    private ActorTestKit nodeB;
    private ActorTestKit nodeC;

    @BeforeEach
    void start() {
        nodeA = ActorTestKit.create("RailKeysA", ConfigFactory.load("application-test"));
        nodeB = ActorTestKit.create("RailKeysB", ConfigFactory.load("application-test"));
        nodeC = ActorTestKit.create("RailKeysC", ConfigFactory.load("application-test"));
    }

    @AfterEach
    void stop() {
        nodeC.shutdownTestKit();
        nodeB.shutdownTestKit();
        nodeA.shutdownTestKit();
    }

    private static RailBlueprint blueprint() {
        return Packs.find("climate").rail("drought-watch", OPTIONS);
    }

    /** Node A deploys (creating the secret in its keystore); the record is what it shares. */
    private RailDeployment deployOnA(RailKeyring a) {
        RailSecret secret = a.loadOrCreate(OPTIONS.instance()).secret();
        RailDeployment record = RailDeployer.record("climate", "drought-watch", OPTIONS, OPTIONS.instance(), secret,
                true, 1_790_000_000_000L, 0);
        a.host(SafetyRegistry.get(nodeA.system()), blueprint(), record);
        return record;
    }

    @Test
    void twoNodesWithTheImportedSecretDeriveIdenticalSpecsAndCredentials() {
        RailKeyring a = new RailKeyring(tmp.resolve("a.bcfks"), PW_A);
        RailKeyring b = new RailKeyring(tmp.resolve("b.bcfks"), PW_B);
        RailDeployment record = deployOnA(a);
        RailSecretStore.export(a.keystore(), PW_A, OPTIONS.instance(), tmp.resolve("dw.secret"), EXPORT);
        RailSecretStore.importFrom(tmp.resolve("dw.secret"), EXPORT, b.keystore(), PW_B);

        SafetyRegistry regA = SafetyRegistry.get(nodeA.system());
        SafetyRegistry regB = SafetyRegistry.get(nodeB.system());
        DeployedRail onB = b.host(regB, blueprint(), record);

        assertEquals(blueprint().entities().size(), onB.specs().size());
        for (EntitySpec specB : onB.specs()) {
            EntitySpec specA = regA.spec(specB.address()).orElseThrow();
            assertEquals(specA.signer().did(), specB.signer().did(), specB.address().toString());
            assertEquals(specA.credential(), specB.credential(), "byte-identical credential " + specB.address());
            assertArrayEquals(specA.credential().signedBytes(), specB.credential().signedBytes());
            assertEquals(record.notBefore(), specB.credential().notBefore());
            assertEquals(record.notAfter(), specB.credential().notAfter());
            // Each node trusts the (same) issuer, PQ required, and each accepts the other's credential.
            long now = record.deployedAt();
            assertEquals(Optional.empty(), specA.credential().check(specB.signer().did(), regB.trusted(), now));
            assertEquals(Optional.empty(), specB.credential().check(specA.signer().did(), regA.trusted(), now));
            assertTrue(specB.credential().postQuantum());
            // The same private key: Ed25519 signatures are deterministic, so both nodes sign alike.
            byte[] probe = specB.address().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertArrayEquals(specA.signer().sign(probe), specB.signer().sign(probe));
        }
        assertTrue(regB.trusted().entry(record.issuerDid()).orElseThrow().requirePq());
        assertEquals(onB.feed().keys().did(), a.require(OPTIONS.instance()).feedKey(OPTIONS.instance()).did());
    }

    @Test
    void aNodeWithoutTheSecretRefusesToHostTheRail() {
        RailKeyring a = new RailKeyring(tmp.resolve("a.bcfks"), PW_A);
        RailDeployment record = deployOnA(a);
        RailKeyring c = new RailKeyring(tmp.resolve("c.bcfks"), PW_B);
        SafetyRegistry regC = SafetyRegistry.get(nodeC.system());

        RailHostingRefused refused = assertThrows(RailHostingRefused.class, () -> c.host(regC, blueprint(), record));
        assertEquals(RailHostingRefused.Reason.NO_SECRET, refused.reason());
        assertEquals("dw-shared", refused.instance());
        assertTrue(refused.getMessage().contains("swarm rail secret import"), refused.getMessage());
        assertTrue(regC.specs().isEmpty(), "nothing registered");
        assertFalse(regC.trustedIssuers().contains(record.issuerDid()));

        // Its own, different secret for the same instance derives another issuer: refused as well.
        c.loadOrCreate(OPTIONS.instance());
        RailHostingRefused other = assertThrows(RailHostingRefused.class, () -> c.host(regC, blueprint(), record));
        assertEquals(RailHostingRefused.Reason.WRONG_ISSUER, other.reason());
        assertTrue(regC.specs().isEmpty(), "nothing registered");
    }

    @Test
    void aRecordWithAnotherIssuerKeyIsRefused() {
        RailKeyring a = new RailKeyring(tmp.resolve("a.bcfks"), PW_A);
        RailDeployment record = deployOnA(a);
        SafetyRegistry regB = SafetyRegistry.get(nodeB.system());
        RailSecret secret = a.require(OPTIONS.instance());

        // An attacker who can write the record swaps in an issuer whose key they hold.
        RailSecret attacker = RailSecret.generate();
        RailDeployment swapped = new RailDeployment(record.pack(), record.rail(), record.instance(), record.agents(),
                record.delegators(), record.rogueAgents(), record.replicas(), record.quorum(), record.seed(),
                record.deployedAt(), record.validityMillis(), record.postQuantum(),
                attacker.issuerKeys(record.instance(), true).did().value(), record.issuerMlDsaKey(),
                record.policyVersion(), record.signature());
        assertEquals(RailHostingRefused.Reason.WRONG_ISSUER, assertThrows(RailHostingRefused.class,
                () -> RailDeployer.host(regB, blueprint(), secret, swapped)).reason());
        // Only the ML-DSA key changed.
        RailDeployment pqSwapped = new RailDeployment(record.pack(), record.rail(), record.instance(),
                record.agents(), record.delegators(), record.rogueAgents(), record.replicas(), record.quorum(),
                record.seed(), record.deployedAt(), record.validityMillis(), record.postQuantum(), record.issuerDid(),
                java.util.Base64.getEncoder().encodeToString(
                        attacker.issuerKeys(record.instance(), true).mlDsaPublicKey().orElseThrow()),
                record.policyVersion(), record.signature());
        assertEquals(RailHostingRefused.Reason.WRONG_ISSUER, assertThrows(RailHostingRefused.class,
                () -> RailDeployer.host(regB, blueprint(), secret, pqSwapped)).reason());
        // Post-quantum switched off: the Ed25519-only issuer is refused too (the record names an ML-DSA key).
        RailDeployment downgraded = new RailDeployment(record.pack(), record.rail(), record.instance(),
                record.agents(), record.delegators(), record.rogueAgents(), record.replicas(), record.quorum(),
                record.seed(), record.deployedAt(), record.validityMillis(), false, record.issuerDid(),
                record.issuerMlDsaKey(), record.policyVersion(), record.signature());
        assertEquals(RailHostingRefused.Reason.WRONG_ISSUER, assertThrows(RailHostingRefused.class,
                () -> RailDeployer.host(regB, blueprint(), secret, downgraded)).reason());
        // A record for another rail applied to this blueprint.
        RailDeployment otherRail = new RailDeployment(record.pack(), "other-rail", record.instance(),
                record.agents(), record.delegators(), record.rogueAgents(), record.replicas(), record.quorum(),
                record.seed(), record.deployedAt(), record.validityMillis(), record.postQuantum(), record.issuerDid(),
                record.issuerMlDsaKey(), record.policyVersion(), record.signature());
        assertEquals(RailHostingRefused.Reason.WRONG_RECORD, assertThrows(RailHostingRefused.class,
                () -> RailDeployer.host(regB, blueprint(), secret, otherRail)).reason());
        // Any other field changed (more agents would mean credentials for entities nobody deployed): the issuer's
        // signature over the record no longer verifies.
        RailDeployment moreAgents = new RailDeployment(record.pack(), record.rail(), record.instance(),
                record.agents() + 1, record.delegators(), record.rogueAgents(), record.replicas(), record.quorum(),
                record.seed(), record.deployedAt(), record.validityMillis(), record.postQuantum(), record.issuerDid(),
                record.issuerMlDsaKey(), record.policyVersion(), record.signature());
        assertEquals(RailHostingRefused.Reason.WRONG_RECORD, assertThrows(RailHostingRefused.class,
                () -> RailDeployer.host(regB, Packs.find("climate").rail("drought-watch", moreAgents.options()),
                        secret, moreAgents)).reason());
        RailDeployment unsigned = new RailDeployment(record.pack(), record.rail(), record.instance(),
                record.agents(), record.delegators(), record.rogueAgents(), record.replicas(), record.quorum(),
                record.seed(), record.deployedAt(), record.validityMillis(), record.postQuantum(), record.issuerDid(),
                record.issuerMlDsaKey(), record.policyVersion(), "");
        assertEquals(RailHostingRefused.Reason.WRONG_RECORD, assertThrows(RailHostingRefused.class,
                () -> RailDeployer.host(regB, blueprint(), secret, unsigned)).reason());
        assertTrue(regB.specs().isEmpty(), "nothing registered");
    }

    @Test
    void aRecordWithAnotherDeployTimeGivesOtherCredentialsNotOtherKeys() {
        RailSecret secret = RailSecret.generate();
        RailDeployment first = RailDeployer.record("climate", "drought-watch", OPTIONS, OPTIONS.instance(), secret,
                false, 1_000_000L, 0);
        RailDeployment later = RailDeployer.record("climate", "drought-watch", OPTIONS, OPTIONS.instance(), secret,
                false, 2_000_000L, 0);
        DeployedRail one = RailDeployer.derive(blueprint(), secret, first);
        DeployedRail two = RailDeployer.derive(blueprint(), secret, later);
        EntityAddress address = one.specs().get(0).address();
        assertEquals(one.specs().get(0).signer().did(), two.specs().get(0).signer().did(), address.toString());
        assertFalse(one.specs().get(0).credential().equals(two.specs().get(0).credential()));
        assertEquals(List.of(), one.specs().stream().map(s -> s.credential().notBefore())
                .filter(t -> t != first.notBefore()).toList());
    }
}
