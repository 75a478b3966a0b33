package org.nexusswarm.safety.internal.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.safety.api.credential.Credential;

/** Cause chains: the sender first, truncation to the newest hops, clipping, and the check over a chain. */
class CauseChainTest {

    @Test
    void theSenderComesFirstAndOnlyTheNewestHopsAreKept() {
        List<String> upstream = IntStream.range(0, 20).mapToObj(i -> "agent:u" + i).toList();
        CauseChain chain = CauseChain.forInput("agent:s", upstream);
        assertEquals(CauseChain.MAX_HOPS, chain.hops().size());
        assertEquals("agent:s", chain.hops().get(0));
        assertEquals(upstream.subList(0, CauseChain.MAX_HOPS - 1), chain.hops().subList(1, CauseChain.MAX_HOPS));
        assertEquals(List.of("agent:s", "agent:u0"), chain.within(2));
        assertEquals(chain.hops(), chain.within(99));
    }

    @Test
    void nullAndOverlongHopsBecomeNamesThatResolveToNoEntity() {
        List<String> hops = new ArrayList<>(Arrays.asList(null, "agent:" + "x".repeat(5000)));
        CauseChain chain = new CauseChain(hops);
        assertEquals("", chain.hops().get(0));
        assertEquals(CauseChain.MAX_HOP_CHARS, chain.hops().get(1).length());
    }

    @Test
    void theHistoryKeepsEveryNameAtItsNearestHopAndCopiesOnlyWhenSomethingIsNew() {
        InputHistory h = InputHistory.NONE.with(new CauseChain(List.of("agent:b", "agent:a")));
        assertEquals(Map.of("agent:b", 1, "agent:a", 2), h.depths());
        assertSame(h, h.with(new CauseChain(List.of("agent:b"))), "nothing new: the same instance");
        InputHistory nearer = h.with(new CauseChain(List.of("agent:a")));
        assertEquals(Map.of("agent:b", 1, "agent:a", 1), nearer.depths());
        assertEquals(List.of("agent:a", "agent:b"), nearer.within(1), "by depth, then by name");
        assertEquals(List.of("agent:b"), h.within(1));
    }

    @Test
    void aHistoryPastItsBoundIsOverflowedAndThatLacksEverything() {
        InputHistory h = InputHistory.NONE;
        for (int i = 0; i <= InputHistory.MAX_ENTITIES; i++) {
            h = h.with(new CauseChain(List.of("agent:e" + i)));
        }
        assertTrue(h.overflowed());
        assertEquals(InputHistory.MAX_ENTITIES, h.depths().size());
        String detail = new ChainCheck(CauseChain.NONE, h, hop -> Optional.of(Credential.issue(Ed25519.generate(),
                "c", Ed25519.generate().did(), List.of("x"), 0, Long.MAX_VALUE))).lacking("x", 1, true).orElseThrow();
        assertTrue(detail.contains("more than " + InputHistory.MAX_ENTITIES), detail);
    }

    @Test
    void sinceStartAddsTheHistoryToTheChainAndOnlyThen() {
        InputHistory remembered = InputHistory.NONE.with(new CauseChain(List.of("agent:a", "operator:ops")));
        ChainCheck check = new ChainCheck(new CauseChain(List.of("agent:d")), remembered,
                hop -> hop.equals("agent:d") ? Optional.of(Credential.issue(Ed25519.generate(), "cred-d",
                        Ed25519.generate().did(), List.of("x"), 0, Long.MAX_VALUE)) : Optional.empty());
        assertEquals(Optional.empty(), check.lacking("x", 2, false));
        String detail = check.lacking("x", 1, true).orElseThrow();
        assertTrue(detail.contains("lacking: agent:a (no valid credential known); chain"), detail);
        assertTrue(check.lacking("x", 2, true).orElseThrow().contains("operator:ops"));
    }

    @Test
    void aFrameCrossesTheSerializerWithItsChainAndPayload() {
        SwarmKryo kryo = SwarmKryo.withoutActorRefs();
        ProvenanceFrame frame = new ProvenanceFrame(List.of("agent:a", "operator:ops"), new byte[] {1, 2, 3});
        assertEquals(frame, kryo.fromBytes(kryo.toBytes(frame)));
    }

    @Test
    void theCheckNamesEveryLackingHopWithinTheHopsAndTheWholeChain() {
        SwarmKeyPair keys = Ed25519.generate();
        Credential holdsX = Credential.issue(Ed25519.generate(), "cred-b", keys.did(), List.of("x"), 0, Long.MAX_VALUE);
        Credential lacksX = Credential.issue(Ed25519.generate(), "cred-a", keys.did(), List.of("y"), 0, Long.MAX_VALUE);
        Map<String, Credential> known = Map.of("agent:b", holdsX, "agent:a", lacksX);
        ChainCheck check = new ChainCheck(new CauseChain(List.of("agent:b", "agent:a", "agent:ghost")),
                hop -> Optional.ofNullable(known.get(hop)));

        assertEquals(Optional.empty(), check.lacking("x", 1, false));
        String two = check.lacking("x", 2, false).orElseThrow();
        assertTrue(two.contains("lacking: agent:a (credential cred-a); chain (newest first): "
                + "agent:b <- agent:a <- agent:ghost"), two);
        String three = check.lacking("x", 3, false).orElseThrow();
        assertTrue(three.contains("agent:a (credential cred-a), agent:ghost (no valid credential known)"), three);
        assertEquals(Optional.empty(), new ChainCheck(CauseChain.NONE, hop -> Optional.empty()).lacking("x", 8, true));
    }
}
