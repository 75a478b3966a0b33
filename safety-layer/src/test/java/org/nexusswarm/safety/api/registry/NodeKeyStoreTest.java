package org.nexusswarm.safety.api.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.memory.checkpoint.CheckpointSigner;
import org.nexusswarm.memory.verify.TrustedNodes;

class NodeKeyStoreTest {

    @TempDir
    Path tmp;

    @Test
    void theKeyIsCreatedOnceTrustedLocallyAndLoadedAgain() throws Exception {
        Path keystore = tmp.resolve("keys/node.bcfks");
        Path trusted = tmp.resolve("keys/trusted-nodes");
        char[] password = "test-password".toCharArray();

        CheckpointSigner created = NodeKeyStore.loadOrCreate(keystore, trusted, password);
        CheckpointSigner loaded = NodeKeyStore.loadOrCreate(keystore, trusted, password);

        assertEquals(created.nodeDid(), loaded.nodeDid());
        assertTrue(TrustedNodes.load(trusted).trusts(created.nodeDid()));
        assertEquals(1, Files.readAllLines(trusted).stream().filter(l -> l.equals(created.nodeDid())).count());
        assertTrue(Files.readString(trusted).startsWith("#"));
    }
}
