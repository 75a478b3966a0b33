package org.nexusswarm.clusterconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CassandraConfigFilesTest {

    @Test
    void yamlHasTheConfiguredPortsAndDirectories() {
        Path root = Path.of("/tmp/nexus cassandra");
        CassandraSettings settings = CassandraSettings.dev(root).withClusterName("nexus-test");
        String yaml = CassandraConfigFiles.cassandraYaml(settings, CassandraDataDir.at(root), 19042, 17000);

        assertTrue(yaml.contains("\nnative_transport_port: 19042\n"), yaml);
        assertTrue(yaml.contains("\nstorage_port: 17000\n"), yaml);
        assertTrue(yaml.contains("seeds: \"127.0.0.1:17000\""), yaml);
        assertTrue(yaml.contains("cluster_name: nexus-test\n"), yaml);
        assertTrue(yaml.contains("  - \"/tmp/nexus cassandra/data\"\n"), yaml);
        assertTrue(yaml.contains("commitlog_directory: \"/tmp/nexus cassandra/commitlog\"\n"), yaml);
        assertTrue(yaml.contains("saved_caches_directory: \"/tmp/nexus cassandra/saved_caches\"\n"), yaml);
        assertTrue(yaml.contains("hints_directory: \"/tmp/nexus cassandra/hints\"\n"), yaml);
        assertTrue(yaml.contains("commitlog_sync: periodic\n"), yaml);
        assertTrue(yaml.contains("listen_address: 127.0.0.1\n"), yaml);
        assertTrue(yaml.contains("rpc_address: 127.0.0.1\n"), yaml);
    }

    @Test
    void quotingEscapesBackslashesAndQuotes() {
        assertEquals("\"C:\\\\data \\\"x\\\"\"", CassandraConfigFiles.quoted("C:\\data \"x\""));
    }
}
