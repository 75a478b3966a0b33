package org.nexusswarm.orchestrators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class QuorumTallyTest {

    @Test
    void certifiesWhenQuorumAgrees() {
        QuorumTally t = QuorumTally.of(3, 2).vote("d0", "aa", 0.7);
        assertTrue(t.certificate().isEmpty());
        t = t.vote("d1", "aa", 0.7);
        QuorumTally.Certificate c = t.certificate().orElseThrow();
        assertEquals("aa", c.outputDigest());
        assertEquals(0.7, c.value());
        assertEquals(List.of("d0", "d1"), c.agreeing());
        assertFalse(t.allAnswered());
        assertEquals(List.of(), t.dissenters());
    }

    @Test
    void namesDissentersAgainstTheCertificate() {
        QuorumTally t = QuorumTally.of(3, 2).vote("d0", "bad", 0.9).vote("d1", "aa", 0.7).abstain("d2");
        assertTrue(t.certificate().isEmpty());
        t = QuorumTally.of(3, 2).vote("d0", "bad", 0.9).vote("d1", "aa", 0.7).vote("d2", "aa", 0.7);
        assertEquals("aa", t.certificate().orElseThrow().outputDigest());
        assertEquals(List.of("d0"), t.dissenters());
        assertTrue(t.allAnswered());
    }

    @Test
    void noQuorumWhenAllDisagree() {
        QuorumTally t = QuorumTally.of(3, 2).vote("d0", "a", 1).vote("d1", "b", 2).vote("d2", "c", 3);
        assertTrue(t.allAnswered());
        assertTrue(t.certificate().isEmpty());
        assertEquals(1, t.largestAgreement());
        // Without a majority nobody dissents; only abstainers would be named.
        assertEquals(List.of(), t.dissenters());
        assertEquals(List.of("d2"), QuorumTally.of(3, 2).vote("d0", "a", 1).vote("d1", "b", 2).abstain("d2").dissenters());
    }

    @Test
    void abstentionsNeverCertifyEvenWhenTheyAgree() {
        QuorumTally t = QuorumTally.of(3, 2).abstain("d0").abstain("d1").abstain("d2");
        assertTrue(t.allAnswered());
        assertTrue(t.certificate().isEmpty());
        assertEquals(0, t.largestAgreement());
    }

    @Test
    void certificateIsStickyAndFirstAnswerCounts() {
        QuorumTally t = QuorumTally.of(4, 2).vote("d0", "a", 1).vote("d1", "a", 1);
        t = t.vote("d2", "b", 2).vote("d3", "b", 2);
        assertEquals("a", t.certificate().orElseThrow().outputDigest());
        assertEquals(List.of("d2", "d3"), t.dissenters());
        QuorumTally once = QuorumTally.of(3, 2).vote("d0", "a", 1);
        assertSame(once, once.vote("d0", "a", 1));
        assertSame(once, once.abstain("d0"));
        assertEquals(1, once.answered());
    }

    @Test
    void isImmutable() {
        QuorumTally empty = QuorumTally.of(3, 2);
        empty.vote("d0", "a", 1);
        assertEquals(0, empty.answered());
    }

    @Test
    void validatesShapeAndOverflow() {
        assertThrows(IllegalArgumentException.class, () -> QuorumTally.of(2, 3));
        assertThrows(IllegalArgumentException.class, () -> QuorumTally.of(3, 0));
        QuorumTally full = QuorumTally.of(1, 1).vote("d0", "a", 1);
        assertThrows(IllegalStateException.class, () -> full.vote("d1", "a", 1));
    }
}
