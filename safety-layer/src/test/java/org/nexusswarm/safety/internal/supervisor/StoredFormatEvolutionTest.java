package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.serialization.KryoSerializer;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.actors.serialization.UnregisteredTypeException;
import org.nexusswarm.memory.chronotope.HashChain;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionDenied;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionProposed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Killed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Observed;

/**
 * Journals and snapshots written by an earlier build must still be read. The fixtures in
 * {@code format-k1/} were written by the build before stored format 2 (chronotopes without causes and
 * versions, observations without payloads, supervisor memory without checkpoint progress): they are real
 * old bytes, not re-created ones.
 */
class StoredFormatEvolutionTest {

    private static final SwarmKryo KRYO = SwarmKryo.withoutActorRefs();
    private static final ActorTestKit KIT = ActorTestKit.create();

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    @Test
    void eventsOfFormat1AreReadUpgradedAndKeepTheirHashes() throws IOException {
        Map<String, String> hashes = hashes();
        Observed observed = (Observed) KRYO.fromBytes(fixture("event-1-Observed.b64"), 1);
        assertEquals("external:signal-feed", observed.sender());
        assertEquals(41, observed.nonce());
        assertEquals("region-07", observed.chronotope().place());
        assertEquals(List.of(), observed.chronotope().causes(), "format 1 had no causes");
        assertEquals("", observed.chronotope().policyVersion());
        assertArrayEquals(new byte[0], observed.payload(), "format 1 journaled no payload");

        ActionProposed proposed = (ActionProposed) KRYO.fromBytes(fixture("event-2-ActionProposed.b64"), 1);
        assertEquals(Map.of("severity", 2.5), proposed.parameters());
        ActionDenied denied = (ActionDenied) KRYO.fromBytes(fixture("event-3-ActionDenied.b64"), 1);
        assertEquals(RefusalCode.OUT_OF_ENVELOPE, denied.code());
        Killed killed = (Killed) KRYO.fromBytes(fixture("event-4-Killed.b64"), 1);
        assertEquals("incident 7", killed.reason());

        // The hash chain written then still verifies now: each event hashes as it did and links to the one before.
        List<SafetyEvent> journal = List.of(observed, proposed, denied, killed);
        String previous = HashChain.GENESIS;
        for (int i = 0; i < journal.size(); i++) {
            SafetyEvent e = journal.get(i);
            assertEquals(hashes.get(String.valueOf(i + 1)), HashChain.hashOf(e), "hash of event " + (i + 1));
            assertTrue(HashChain.linksTo(e, previous), "link into event " + (i + 1));
            previous = HashChain.hashOf(e);
        }
    }

    @Test
    void theOldShapeReallyDiffersSoWithoutTheLegacyReaderItWouldNotRead() throws IOException {
        byte[] old = fixture("event-1-Observed.b64");
        // Read as the current format, the same bytes are refused or misread; read as format 1 they are right.
        boolean misread;
        try {
            Object o = KRYO.fromBytes(old);
            misread = !(o instanceof Observed ob) || ob.nonce() != 41 || ob.payload().length != 0;
        } catch (UnregisteredTypeException e) {
            misread = true;
        }
        assertTrue(misread, "format 1 bytes must not read as format 2: the fixture would prove nothing");
    }

    @Test
    void snapshotsOfFormat1RecoverWithCheckpointsStartingAfterThem() throws IOException {
        SupervisorState active = (SupervisorState) KRYO.fromBytes(fixture("snapshot-active.b64"), 1);
        assertInstanceOf(SupervisorState.Active.class, active);
        assertEquals(3, active.chain().sequence());
        assertEquals(1, active.denials());
        assertEquals(4, active.memory().checkpoints().fromSeq(), "the first checkpoint covers what follows");
        assertTrue(active.memory().checkpoints().hashes().isEmpty());

        SupervisorState quarantined = (SupervisorState) KRYO.fromBytes(fixture("snapshot-quarantined.b64"), 1);
        SupervisorState.Quarantined q = assertInstanceOf(SupervisorState.Quarantined.class, quarantined);
        assertEquals("incident 7", q.reason());
        assertEquals(hashes().get("4"), q.chain().lastHash());
        // And the recovered state goes on applying events of the current format.
        Killed again = new Killed(new org.nexusswarm.memory.chronotope.Chronotope(1, 5, 1, "region-07", "",
                q.chain().lastHash()), "operator ops", "again");
        assertEquals(5, q.apply(again).chain().sequence());
    }

    @Test
    void thePekkoSerializerReadsOldRowsByTheirManifestAndWritesTheCurrentFormat() throws Exception {
        Serialization serialization = SerializationExtension.get(KIT.system());
        Object read = serialization.deserialize(fixture("event-4-Killed.b64"), KryoSerializer.IDENTIFIER, "k1").get();
        assertInstanceOf(Killed.class, read);
        KryoSerializer serializer = (KryoSerializer) serialization.findSerializerFor(read);
        assertEquals("k" + SwarmKryo.FORMAT, serializer.manifest(read));
        assertTrue(serialization.deserialize(new byte[] {1, 2}, KryoSerializer.IDENTIFIER, "k9").isFailure(),
                "a format newer than this build is refused");
        assertTrue(serialization.deserialize(new byte[] {1, 2}, KryoSerializer.IDENTIFIER, "x1").isFailure());
    }

    @Test
    void unknownFormatsAreRefusedWithAClearMessage() {
        UnregisteredTypeException e = assertThrows(UnregisteredTypeException.class,
                () -> KRYO.fromBytes(new byte[] {1}, SwarmKryo.FORMAT + 1));
        assertTrue(e.getMessage().contains("newer"), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = StoredFormatEvolutionTest.class.getResourceAsStream("/format-k1/" + name)) {
            return Base64.getDecoder().decode(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        }
    }

    private static Map<String, String> hashes() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : new String(fixture0("hashes.txt"), StandardCharsets.UTF_8).split("\n")) {
            String[] parts = line.trim().split(" ");
            out.put(parts[0], parts[2]);
        }
        return out;
    }

    private static byte[] fixture0(String name) throws IOException {
        try (InputStream in = StoredFormatEvolutionTest.class.getResourceAsStream("/format-k1/" + name)) {
            return in.readAllBytes();
        }
    }
}
