package org.nexusswarm.actors.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.acme.kryo.SneakyRegistrations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kryo registrations are read at system start, before any pack is admitted: a provider a pack's jar names is
 * refused by name without being instantiated or initialised; the platform's own still register.
 */
class PackKryoProvidersTest {

    @TempDir
    Path dir;

    private ClassLoader loaderNaming(String provider) throws Exception {
        Path services = dir.resolve("META-INF/services/" + KryoRegistrations.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, provider + "\n");
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }

    @Test
    void aProviderOutsideThePlatformIsRefusedAndNothingOfItRuns() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SwarmKryo.platformRegistrations(loaderNaming(SneakyRegistrations.class.getName())));
        assertTrue(e.getMessage().startsWith("Kryo registrations " + SneakyRegistrations.class.getName()
                + " (named in META-INF/services/"), e.getMessage());
        assertTrue(e.getMessage().contains("payload-types.properties"), e.getMessage());
        assertEquals(0, SneakyRegistrations.Ran.COUNT.get(), "no static initialiser, constructor or register ran");
    }

    @Test
    void onlyPlatformModulesOutsideThePackPackagesMayRegisterAndTheyStillDo() {
        assertTrue(SwarmKryo.isPlatformClass("org.nexusswarm.safety.internal.supervisor.SafetyKryoRegistrations"));
        assertTrue(SwarmKryo.isPlatformClass("org.nexusswarm.packs.admission.PayloadTypeRegistrations"));
        assertFalse(SwarmKryo.isPlatformClass("org.nexusswarm.packs.climate.ClimateRegistrations"), "a pack's package");
        assertFalse(SwarmKryo.isPlatformClass("org.nexusswarm.packs.energy.grid.Registrations"));
        assertFalse(SwarmKryo.isPlatformClass("org.acme.pack.Registrations"));
        assertFalse(SwarmKryo.isPlatformClass("org.nexusswarmx.Registrations"));
        assertTrue(SwarmKryo.platformRegistrations(getClass().getClassLoader()).stream()
                .anyMatch(r -> r instanceof ActorsKryoRegistrations), "the platform's own still register");
    }
}
