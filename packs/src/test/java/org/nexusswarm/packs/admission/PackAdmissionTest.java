package org.nexusswarm.packs.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.packs.Pack;
import org.nexusswarm.packs.climate.ClimatePack;
import org.nexusswarm.safety.admission.TrustedPublishers;
import org.nexusswarm.safety.credential.IssuerKeys;

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
    void aSignedPackIsAdmittedAndTheBytecodeCheckRefusesItWhenEnforced() throws Exception {
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

        // Today's climate logic references Pekko (being ported to the pure API): refused when enforced.
        PackAdmission.PackRefusedException e = assertThrows(PackAdmission.PackRefusedException.class,
                () -> admission(PackAdmission.BytecodeMode.ENFORCE).admit("climate", false));
        assertTrue(e.getMessage().startsWith("pack climate refused: org.nexusswarm.packs.climate."), e.getMessage());

        // A manifest renamed to another pack's name is refused (the manifest names its pack).
        Files.copy(dir.resolve("packs/climate.manifest.json"), dir.resolve("packs/energy.manifest.json"));
        PackAdmission.PackRefusedException renamed = assertThrows(PackAdmission.PackRefusedException.class,
                () -> admission(PackAdmission.BytecodeMode.OFF).admit("energy", false));
        assertEquals("pack energy refused: the manifest is for pack 'climate', not 'energy'", renamed.getMessage());
    }

    @Test
    void thePackSpiAndOrchestratorPayloadsAreAllowedButOtherPacksAreNot() {
        var rules = PackAdmission.rules();
        assertTrue(rules.typeProblem("org/nexusswarm/packs/RailBlueprint").isEmpty());
        assertTrue(rules.typeProblem("org/nexusswarm/orchestrators/ComputeRequest").isEmpty());
        assertTrue(rules.typeProblem("org/nexusswarm/packs/admission/PackAdmission").isPresent());
        assertTrue(rules.typeProblem("org/nexusswarm/orchestrators/OrchestratorLogic").isPresent());
    }
}
