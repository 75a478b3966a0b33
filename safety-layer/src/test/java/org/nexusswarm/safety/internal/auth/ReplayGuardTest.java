package org.nexusswarm.safety.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.safety.internal.auth.ReplayGuard.Verdict;

/** The sliding replay window: order, reordering, duplicates, age, many senders, determinism, bad input. */
class ReplayGuardTest {

    private static ReplayGuard acceptAll(ReplayGuard guard, String sender, long... nonces) {
        for (long n : nonces) {
            assertEquals(Verdict.FRESH, guard.check(sender, n), "nonce " + n);
            guard = guard.accept(sender, n);
        }
        return guard;
    }

    @Test
    void inOrderNoncesAreFreshOnceThenReplays() {
        ReplayGuard guard = acceptAll(ReplayGuard.empty(), "agent:a", 1, 2, 3, 4, 5);
        for (long n = 1; n <= 5; n++) {
            assertEquals(Verdict.REPLAYED, guard.check("agent:a", n));
        }
        assertEquals(Verdict.FRESH, guard.check("agent:a", 6));
        assertEquals(Verdict.FRESH, guard.check("agent:b", 1), "senders are independent");
    }

    @Test
    void outOfOrderNoncesWithinTheWindowAreAccepted() {
        ReplayGuard guard = acceptAll(ReplayGuard.empty(), "agent:a", 100, 90, 99, 37, 163, 101);
        // 163 moved the window to (99, 163]: 100 and 101 are still remembered, 99 and below are too old.
        assertEquals(Verdict.REPLAYED, guard.check("agent:a", 100));
        assertEquals(Verdict.REPLAYED, guard.check("agent:a", 101));
        assertEquals(Verdict.FRESH, guard.check("agent:a", 102));
        assertEquals(Verdict.TOO_OLD, guard.check("agent:a", 99));
        assertEquals(Verdict.FRESH, guard.check("agent:a", 100 + ReplayGuard.WINDOW), "163 - 63");
        assertEquals(Verdict.TOO_OLD, guard.check("agent:a", 163 - ReplayGuard.WINDOW));
    }

    @Test
    void duplicatesAndTooOldNoncesChangeNothing() {
        ReplayGuard guard = acceptAll(ReplayGuard.empty(), "agent:a", 500);
        assertSame(guard, guard.accept("agent:a", 500), "a replay is not accepted twice");
        assertSame(guard, guard.accept("agent:a", 400), "too old: not accepted");
        assertEquals(Verdict.TOO_OLD, guard.check("agent:a", 400));
        assertEquals(Verdict.TOO_OLD, guard.check("agent:a", Long.MIN_VALUE), "difference overflows");
    }

    @Test
    void bigJumpsClearTheWindowAndExtremeNoncesDoNotOverflow() {
        ReplayGuard guard = acceptAll(ReplayGuard.empty(), "agent:a", 1, 2, 1000);
        assertEquals(Verdict.TOO_OLD, guard.check("agent:a", 2));
        assertEquals(Verdict.FRESH, guard.check("agent:a", 999));
        ReplayGuard extreme = acceptAll(ReplayGuard.empty(), "agent:x", Long.MIN_VALUE, -5, Long.MAX_VALUE);
        assertEquals(Verdict.REPLAYED, extreme.check("agent:x", Long.MAX_VALUE));
        assertEquals(Verdict.TOO_OLD, extreme.check("agent:x", -5));
        assertEquals(Verdict.FRESH, extreme.check("agent:x", Long.MAX_VALUE - 1));
    }

    @Test
    void theNumberOfSendersIsBoundedByForgettingTheLeastRecent() {
        ReplayGuard guard = ReplayGuard.empty(3);
        guard = acceptAll(guard, "agent:a", 1);
        guard = acceptAll(guard, "agent:b", 1);
        guard = acceptAll(guard, "agent:c", 1);
        guard = acceptAll(guard, "agent:a", 2); // a is now more recent than b and c
        guard = acceptAll(guard, "agent:d", 1);
        assertEquals(3, guard.senders());
        assertFalse(guard.tracks("agent:b"), "b was the least recently seen");
        assertTrue(guard.tracks("agent:a") && guard.tracks("agent:c") && guard.tracks("agent:d"));
        assertEquals(Verdict.FRESH, guard.check("agent:b", 1), "a forgotten sender's nonces look fresh again");
    }

    @Test
    void tenThousandSendersStayTenThousand() {
        ReplayGuard guard = ReplayGuard.empty();
        for (int i = 0; i < ReplayGuard.DEFAULT_MAX_SENDERS + 500; i++) {
            guard = guard.accept("agent:" + i, 1);
        }
        assertEquals(ReplayGuard.DEFAULT_MAX_SENDERS, guard.senders());
        assertFalse(guard.tracks("agent:0"));
        assertFalse(guard.tracks("agent:499"));
        assertTrue(guard.tracks("agent:500"));
        assertEquals(Verdict.REPLAYED, guard.check("agent:10499", 1));
    }

    @Test
    void replayingTheSameAcceptsRebuildsTheSameGuard() {
        Random random = new Random(3);
        List<String> senders = List.of("agent:a", "agent:b", "feed:x", "orchestrator:o");
        ReplayGuard first = ReplayGuard.empty(3);
        ReplayGuard second = ReplayGuard.empty(3);
        for (int i = 0; i < 5_000; i++) {
            String s = senders.get(random.nextInt(senders.size()));
            long n = i + random.nextInt(80) - 40;
            first = first.accept(s, n);
            second = second.accept(s, n);
        }
        assertEquals(first, second);
        SwarmKryo kryo = SwarmKryo.withoutActorRefs();
        ReplayGuard recovered = (ReplayGuard) kryo.fromBytes(kryo.toBytes(first));
        assertEquals(first, recovered);
        for (String s : senders) {
            for (long n = 4_900; n < 5_100; n++) {
                assertEquals(first.check(s, n), recovered.check(s, n));
            }
        }
        assertEquals(first.accept("agent:a", 6000), recovered.accept("agent:a", 6000));
    }

    @Test
    void aGuardBuiltFromLooseShardsIsNormalized() {
        ReplayGuard loose = new ReplayGuard(List.of(Map.of("agent:a", new ReplayGuard.SenderWindow(10, 1, 1)),
                Map.of("agent:b", new ReplayGuard.SenderWindow(20, 1, 2))), 100, 2);
        assertEquals(2, loose.senders());
        assertEquals(Verdict.REPLAYED, loose.check("agent:a", 10));
        assertEquals(Verdict.REPLAYED, loose.check("agent:b", 20));
        assertEquals(ReplayGuard.SHARDS, loose.shards().size());
        assertEquals(loose, new ReplayGuard(loose.shards(), 100, 2));
        assertEquals(0, new ReplayGuard(null, 5, 0).senders());
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ReplayGuard.empty(0));
        assertThrows(IllegalArgumentException.class, () -> ReplayGuard.empty().check(null, 1));
        assertThrows(IllegalArgumentException.class, () -> ReplayGuard.empty().accept(null, 1));
    }
}
