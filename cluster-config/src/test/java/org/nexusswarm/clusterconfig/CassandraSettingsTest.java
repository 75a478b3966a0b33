package org.nexusswarm.clusterconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CassandraSettingsTest {

    @Test
    void devDefaultsArePersistentWithChosenPorts() {
        CassandraSettings s = CassandraSettings.dev(Path.of("relative/dir"));
        assertTrue(s.dataDir().isAbsolute());
        assertEquals(0, s.nativePort());
        assertEquals(0, s.storagePort());
        assertEquals(384, s.heapMb());
        assertEquals(Duration.ofSeconds(120), s.startupTimeout());
        assertFalse(s.ephemeral());
        assertTrue(CassandraSettings.ephemeral(Path.of("x")).ephemeral());
    }

    @Test
    void withersChangeOneField() {
        CassandraSettings s = CassandraSettings.dev(Path.of("d")).withNativePort(19042).withStoragePort(17000)
                .withHeapMb(512).withStartupTimeout(Duration.ofSeconds(30)).withClusterName("other");
        assertEquals(19042, s.nativePort());
        assertEquals(17000, s.storagePort());
        assertEquals(512, s.heapMb());
        assertEquals(Duration.ofSeconds(30), s.startupTimeout());
        assertEquals("other", s.clusterName());
    }

    @Test
    void rejectsInvalidValues() {
        CassandraSettings s = CassandraSettings.dev(Path.of("d"));
        assertThrows(IllegalArgumentException.class, () -> s.withNativePort(70_000));
        assertThrows(IllegalArgumentException.class, () -> s.withStoragePort(-1));
        assertThrows(IllegalArgumentException.class, () -> s.withNativePort(9042).withStoragePort(9042));
        assertThrows(IllegalArgumentException.class, () -> s.withHeapMb(64));
        assertThrows(IllegalArgumentException.class, () -> s.withStartupTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> s.withClusterName("bad: name"));
    }
}
