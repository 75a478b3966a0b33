package org.nexusswarm.packs.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.acme.replaytest.refused.RefusedPack;
import org.acme.replaytest.slow.SlowPack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.delegators.DelegatorLogic;
import org.nexusswarm.packs.Pack;
import org.nexusswarm.packs.climate.ClimatePack;
import org.nexusswarm.packs.climate.DroughtWatchAgentLogic;
import org.nexusswarm.safety.api.admission.PackFiles;
import org.nexusswarm.safety.api.admission.PackManifest;
import org.nexusswarm.safety.api.admission.TrustedPublishers;
import org.nexusswarm.safety.api.credential.IssuerKeys;
import org.nexusswarm.safety.api.replay.LogicTimeoutException;
import org.nexusswarm.safety.api.replay.ReplayCalls;

/**
 * {@code journal replay} finds logics as a node does: a pack is admitted before anything of it is instantiated, and
 * its constructor and {@code logic(version)} run under the replay's watchdog.
 */
class ReplayLogicsTest {

    @TempDir
    Path dir;

    private final ReplayCalls calls = ReplayCalls.from(ConfigFactory.parseString(
            "nexus.swarm.safety { step-budget = 10ms, step-wall-cap-min = 300ms }").withFallback(ConfigFactory.load()));
    private IssuerKeys publisher;

    @AfterEach
    void stop() {
        calls.shutdown();
    }

    private PackAdmission.Settings settings() {
        return new PackAdmission.Settings(dir.resolve("packs"), dir.resolve("trusted"),
                PackAdmission.BytecodeMode.ENFORCE, false);
    }

    /** A class loader that registers {@code packClass} as a pack too (beside the class path's climate pack). */
    private ClassLoader loaderWith(Class<? extends Pack> packClass) throws Exception {
        Path services = dir.resolve("services/META-INF/services/" + Pack.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, packClass.getName() + "\n");
        return new URLClassLoader(new URL[] {dir.resolve("services").toUri().toURL()}, getClass().getClassLoader());
    }

    /** Signs a pack's manifest without instantiating it (as a publisher would, from its class and files). */
    private void sign(ClassLoader loader, String name, Class<?> packClass) throws Exception {
        if (publisher == null) {
            publisher = IssuerKeys.generate(false);
            TrustedPublishers.append(dir.resolve("trusted"), publisher.did(), publisher.mlDsaPublicKey());
        }
        PackFiles files = PackFiles.locate(loader, packClass.getName(), PackAdmission.RESOURCE_PREFIXES);
        PackManifest manifest = PackManifest.sign(name, packClass.getName(), "1", List.of(), files, publisher, false);
        Files.createDirectories(dir.resolve("packs"));
        Files.write(settings().manifestFile(name), manifest.toJson());
    }

    private ReplayLogics logics(ClassLoader loader) {
        return new ReplayLogics(new PackAdmission(settings(), PackAdmission.rules(), loader), calls);
    }

    @Test
    void aSignedPackThatPassesAdmissionGivesItsLogicsAndThePlatformsOwn() throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        sign(loader, ClimatePack.NAME, ClimatePack.class);
        ReplayLogics logics = logics(loader);
        assertEquals(DroughtWatchAgentLogic.VERSION,
                logics.logic(ClimatePack.NAME, DroughtWatchAgentLogic.VERSION).orElseThrow().version());
        // The platform's own delegator, deployed by the climate pack, and without a pack named.
        assertEquals(DelegatorLogic.VERSION, logics.logic(ClimatePack.NAME, DelegatorLogic.VERSION).orElseThrow()
                .version());
        assertEquals(DelegatorLogic.VERSION, logics.logic("", DelegatorLogic.VERSION).orElseThrow().version());
        assertTrue(logics.logic("", DroughtWatchAgentLogic.VERSION).isPresent(), "found in the admitted packs");
        assertTrue(logics.logic(ClimatePack.NAME, "no-such-logic/1").isEmpty());
        logics.check(ClimatePack.NAME);
    }

    @Test
    void anUnsignedPackIsRefusedBeforeAnythingOfItRuns() {
        ReplayLogics logics = logics(getClass().getClassLoader());
        PackAdmission.PackRefusedException e = assertThrows(PackAdmission.PackRefusedException.class,
                () -> logics.logic(ClimatePack.NAME, DroughtWatchAgentLogic.VERSION));
        assertTrue(e.getMessage().startsWith("pack climate refused: no signed manifest at "), e.getMessage());
        assertThrows(PackAdmission.PackRefusedException.class, () -> logics.check(ClimatePack.NAME));
    }

    @Test
    void aPackTheBytecodeCheckRefusesFailsTheReplayWithTheClassMethodAndReferenceAndNeverRuns() throws Exception {
        ClassLoader loader = loaderWith(RefusedPack.class);
        sign(loader, RefusedPack.NAME, RefusedPack.class);
        ReplayLogics logics = logics(loader);
        PackAdmission.PackRefusedException e = assertThrows(PackAdmission.PackRefusedException.class,
                () -> logics.logic(RefusedPack.NAME, "any/1"));
        assertTrue(e.getMessage().startsWith("pack " + RefusedPack.NAME + " refused: "), e.getMessage());
        assertTrue(e.getMessage().contains(RefusedPack.class.getName() + ".logic(")
                && e.getMessage().contains("java/lang/System.exit"), e.getMessage());
        // The same for a what-if (which instantiates nothing), and for a journal that names no pack.
        assertEquals(e.getMessage(), assertThrows(PackAdmission.PackRefusedException.class,
                () -> logics.check(RefusedPack.NAME)).getMessage());
        PackAdmission.PackRefusedException unnamed = assertThrows(PackAdmission.PackRefusedException.class,
                () -> logics.logic("", "any/1"));
        assertTrue(unnamed.getMessage().contains("java/lang/System.exit"), unnamed.getMessage());
        assertNull(System.getProperty(RefusedPack.MARK), "the refused pack's static initialiser never ran");
    }

    @Test
    void anAdmittedPackWhoseConstructorNeverReturnsIsStoppedAtTheCap() throws Exception {
        ClassLoader loader = loaderWith(SlowPack.class);
        sign(loader, SlowPack.NAME, SlowPack.class);
        ReplayLogics logics = logics(loader);
        LogicTimeoutException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(LogicTimeoutException.class, () -> logics.logic(SlowPack.NAME, "any/1")));
        assertTrue(e.getMessage().contains("pack constructor did not return within 300 ms"), e.getMessage());
    }
}
