package org.nexusswarm.packs.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.packs.climate.DivertWater;
import org.nexusswarm.packs.climate.DroughtAlert;
import org.nexusswarm.packs.climate.SoilMoistureReading;

/** Packs declare payload ids in a resource; only records implementing SwarmMessage in the packs' range pass. */
class PayloadTypeRegistrationsTest {

    @TempDir
    Path dir;

    @Test
    void theClimatePayloadsAreDeclaredWithTheirStoredIds() {
        Map<Integer, Class<?>> declared = PayloadTypeRegistrations.declared(getClass().getClassLoader());
        assertEquals(SoilMoistureReading.class, declared.get(600));
        assertEquals(DroughtAlert.class, declared.get(601));
        assertEquals(DivertWater.class, declared.get(602));
    }

    @Test
    void aDeclaredPayloadRoundTripsThroughTheSwarmSerializer() {
        SwarmKryo kryo = SwarmKryo.withoutActorRefs();
        assertEquals(601, kryo.registeredClasses().get(DroughtAlert.class));
        DroughtAlert alert = new DroughtAlert("cell-1", "agent:a-1", 0.42, 17, "ab12");
        assertEquals(alert, kryo.fromBytes(kryo.toBytes(alert)));
    }

    @Test
    void aPlatformTypeAGadgetOrAnIdOutsideTheRangeStopsTheNodeAtStart() throws IOException {
        assertRefused("700 = java.util.HashMap\n", "which is not a record implementing SwarmMessage");
        assertRefused("700 = org.nexusswarm.actors.protocol.Kill\n", "a platform type");
        assertRefused("700 = org.nexusswarm.orchestrators.ComputeRequest\n", "a platform type");
        assertRefused("300 = org.nexusswarm.packs.climate.DroughtAlert\n", "outside the packs' range 600-999");
        assertRefused("1000 = org.nexusswarm.packs.climate.DroughtAlert\n", "outside the packs' range 600-999");
        assertRefused("abc = org.nexusswarm.packs.climate.DroughtAlert\n", "is not a Kryo id");
        assertRefused("700 = no.such.Payload\n", "which is not found");
        // Declaring an id the shipped climate pack already uses.
        assertRefused("600 = org.nexusswarm.packs.climate.DroughtAlert\n", "is already declared in");
        // A record whose accessor loops (the serializer would call it on a supervisor's thread).
        assertRefused("700 = redteam.payloads.LoopingAccessor\n", "refused: redteam.payloads.LoopingAccessor.value() "
                + "references code other than the generated accessor");
    }

    private void assertRefused(String entries, String expected) throws IOException {
        Path root = Files.createTempDirectory(dir, "cp");
        Path file = root.resolve(PayloadTypeRegistrations.RESOURCE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, entries);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, getClass().getClassLoader())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> PayloadTypeRegistrations.declared(loader));
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        }
    }
}
