package org.nexusswarm.memory.chronotope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HashChainTest {

    /** A small episode event with one text and one number besides its chronotope. */
    record Noted(Chronotope chronotope, String what, long amount) implements EpisodeEvent {
        @Override
        public String details() {
            return what + " x" + amount;
        }
    }

    private static final Chronotope C =
            new Chronotope(1_790_000_000_000L, 3, 77L << 16, "cell-9", "ab".repeat(32), "cd".repeat(32));
    private static final Noted EVENT = new Noted(C, "rain", 12);

    @Test
    void sha256MatchesTheStandardTestVector() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                HashChain.sha256Hex("abc".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(64, HashChain.GENESIS.length());
        assertTrue(HashChain.GENESIS.chars().allMatch(c -> c == '0'));
    }

    @Test
    void theHashIsDeterministic() {
        assertEquals(HashChain.hashOf(EVENT), HashChain.hashOf(new Noted(C, "rain", 12)));
        assertEquals(64, HashChain.hashOf(EVENT).length());
    }

    @Test
    void changingAnyFieldOfAnEventChangesItsHash() {
        List<Noted> variants = new ArrayList<>();
        variants.add(new Noted(new Chronotope(C.wallTimeMillis() + 1, C.sequence(), C.hlc(), C.place(),
                C.inputDigest(), C.previousHash()), "rain", 12));
        variants.add(new Noted(new Chronotope(C.wallTimeMillis(), C.sequence() + 1, C.hlc(), C.place(),
                C.inputDigest(), C.previousHash()), "rain", 12));
        variants.add(new Noted(new Chronotope(C.wallTimeMillis(), C.sequence(), C.hlc() + 1, C.place(),
                C.inputDigest(), C.previousHash()), "rain", 12));
        variants.add(new Noted(new Chronotope(C.wallTimeMillis(), C.sequence(), C.hlc(), "cell-8",
                C.inputDigest(), C.previousHash()), "rain", 12));
        variants.add(new Noted(new Chronotope(C.wallTimeMillis(), C.sequence(), C.hlc(), C.place(),
                "ac".repeat(32), C.previousHash()), "rain", 12));
        variants.add(new Noted(new Chronotope(C.wallTimeMillis(), C.sequence(), C.hlc(), C.place(),
                C.inputDigest(), HashChain.GENESIS), "rain", 12));
        variants.add(new Noted(new Chronotope(C.wallTimeMillis(), C.sequence(), C.hlc(), C.place(),
                C.inputDigest(), C.previousHash(), List.of("agent|a#1"), "", ""), "rain", 12));
        variants.add(new Noted(new Chronotope(C.wallTimeMillis(), C.sequence(), C.hlc(), C.place(),
                C.inputDigest(), C.previousHash(), List.of(), "rail:r@1", ""), "rain", 12));
        variants.add(new Noted(new Chronotope(C.wallTimeMillis(), C.sequence(), C.hlc(), C.place(),
                C.inputDigest(), C.previousHash(), List.of(), "", "logic/2"), "rain", 12));
        variants.add(new Noted(C, "snow", 12));
        variants.add(new Noted(C, "rain", 13));
        assertEquals(C.getClass().getRecordComponents().length + 2, variants.size(), "one variant per field");

        Set<String> hashes = new HashSet<>();
        hashes.add(HashChain.hashOf(EVENT));
        for (Noted variant : variants) {
            assertNotEquals(HashChain.hashOf(EVENT), HashChain.hashOf(variant), variant.toString());
            hashes.add(HashChain.hashOf(variant));
        }
        assertEquals(variants.size() + 1, hashes.size(), "all variants hash differently");
    }

    @Test
    void theEventTypeIsPartOfTheHash() {
        record Other(Chronotope chronotope, String what, long amount) implements EpisodeEvent {
            @Override
            public String details() {
                return what + " x" + amount;
            }
        }
        assertNotEquals(HashChain.hashOf(EVENT), HashChain.hashOf(new Other(C, "rain", 12)));
        assertEquals("Noted", EVENT.type());
    }

    @Test
    void linksToComparesThePreviousHash() {
        assertTrue(HashChain.linksTo(EVENT, "cd".repeat(32)));
        assertFalse(HashChain.linksTo(EVENT, HashChain.GENESIS));
    }
}
