package org.nexusswarm.packs.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.packs.Pack;
import org.nexusswarm.packs.climate.ClimatePack;
import org.nexusswarm.safety.api.admission.TrustedPublishers;
import org.nexusswarm.safety.api.credential.IssuerKeys;

/** The deploy-side gate: a pack is instantiated only after admission; each refusal is one precise line. */
class PackAdmissionTest {

    @TempDir
    Path dir;

    private PackAdmission admission(PackAdmission.BytecodeMode mode) {
        return new PackAdmission(new PackAdmission.Settings(dir.resolve("packs"), dir.resolve("trusted"), mode, false));
    }

    @Test
    void aMissingManifestIsRefused() {
        PackAdmission.PackRefusedException e = assertThrows(PackAdmission.PackRefusedException.class,
                () -> admission(PackAdmission.BytecodeMode.OFF).admit("climate", false));
        assertTrue(e.getMessage().startsWith("pack climate refused: no signed manifest at "), e.getMessage());
    }

    @Test
    void aSignedPackIsAdmittedAndTheShippedClimatePackPassesTheEnforcedBytecodeCheck() throws Exception {
        IssuerKeys publisher = IssuerKeys.generate(false);
        TrustedPublishers.append(dir.resolve("trusted"), publisher.did(), publisher.mlDsaPublicKey());
        admission(PackAdmission.BytecodeMode.OFF).sign("climate", publisher, false, "1.0");
        Pack pack = admission(PackAdmission.BytecodeMode.OFF).admit("climate", false);
        assertEquals(ClimatePack.class, pack.getClass());

        // Required post-quantum proof, and the manifest has none.
        PackAdmission.PackRefusedException pq = assertThrows(PackAdmission.PackRefusedException.class,
                () -> admission(PackAdmission.BytecodeMode.OFF).admit("climate", true));
        assertEquals("pack climate refused: post-quantum proof required but the manifest has no ML-DSA-65 signature",
                pq.getMessage());

        // The shipped climate pack passes the bytecode allow-list (enforced by default).
        assertEquals(ClimatePack.class, admission(PackAdmission.BytecodeMode.ENFORCE).admit("climate", false).getClass());
        assertEquals(List.of(), admission(PackAdmission.BytecodeMode.ENFORCE).inspect("climate", false)
                .bytecodeFindings());
        // The payload declarations are part of what the manifest signs.
        assertTrue(admission(PackAdmission.BytecodeMode.ENFORCE).inspect("climate", false).manifest().orElseThrow()
                .files().containsKey("META-INF/nexus/payload-types.properties"));

        // A manifest renamed to another pack's name is refused (the manifest names its pack).
        Files.copy(dir.resolve("packs/climate.manifest.json"), dir.resolve("packs/energy.manifest.json"));
        PackAdmission.PackRefusedException renamed = assertThrows(PackAdmission.PackRefusedException.class,
                () -> admission(PackAdmission.BytecodeMode.OFF).admit("energy", false));
        assertEquals("pack energy refused: the manifest is for pack 'climate', not 'energy'", renamed.getMessage());
    }

    @Test
    void thePackSpiPlatformLogicsAndOrchestratorPayloadsAreAllowedButOtherPacksAreNot() {
        var rules = PackAdmission.rules();
        assertTrue(rules.typeProblem("org/nexusswarm/packs/RailBlueprint").isEmpty());
        assertTrue(rules.typeProblem("org/nexusswarm/orchestrators/ComputeRequest").isEmpty());
        assertTrue(rules.typeProblem("org/nexusswarm/packs/admission/PackAdmission").isPresent());
        // The platform's pure logics a rail hosts are allowed; the rest of those modules is not.
        assertTrue(rules.typeProblem("org/nexusswarm/orchestrators/OrchestratorLogic").isEmpty());
        assertTrue(rules.typeProblem("org/nexusswarm/delegators/DelegatorLogic").isEmpty());
        assertTrue(rules.typeProblem("org/nexusswarm/orchestrators/OrchestratorKryoRegistrations").isPresent());
        assertTrue(rules.typeProblem("org/nexusswarm/orchestrators/QuorumTally").isPresent());
        assertTrue(rules.typeProblem("org/nexusswarm/delegators/DelegatorKryoRegistrations").isPresent());
    }
}
