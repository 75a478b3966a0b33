package org.nexusswarm.safety.api.replay;

import org.nexusswarm.safety.api.replay.Episode;
import org.nexusswarm.safety.api.replay.TestLogic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.safety.api.supervisor.SafetyEvent;

class DeterminismReplayTest {

    private static final Function<String, Optional<AgentLogic<?>>> CATALOG =
            v -> v.equals(TestLogic.VERSION) ? Optional.of(TestLogic.logic()) : Optional.empty();

    private final List<ReplayFinding> findings = new ArrayList<>();

    private ReplayReport replay(Episode episode) {
        return replay(episode, CATALOG, ReplayWindow.ALL);
    }

    private ReplayReport replay(Episode episode, Function<String, Optional<AgentLogic<?>>> catalog, ReplayWindow window) {
        return DeterminismReplay.run(Episode.SELF, catalog, window, episode.events().iterator(), findings::add);
    }

    private List<ReplayFinding.Kind> kinds() {
        return findings.stream().map(ReplayFinding::kind).toList();
    }

    @Test
    void aFaithfulLogicReproducesEveryDecisionIncludingItsReactionsToOutcomes() {
        Episode e = new Episode(TestLogic.VERSION).started("{}")
                .allowedRound(1, 1)
                .deniedRound(2, 2).escalated().retryAllowed("i-2-2")
                .allowedRound(3, 3);
        ReplayReport report = replay(e);
        assertTrue(report.reproduced(), report.summary() + " " + findings);
        assertEquals(4, report.decisions());
        assertEquals(4, report.matched());
        assertEquals(TestLogic.VERSION, report.logicVersions());
        assertEquals(7, report.inputsFed(), "3 observations and 4 outcomes");
        assertTrue(report.summary().contains("all 4 decisions reproduced"), report.summary());
    }

    @Test
    void aMessageThatCameInAProvenanceFrameIsReplayedAsTheMessageTheLogicSaw() {
        Episode e = new Episode(TestLogic.VERSION).started("{}").allowedFramedRound(1, 1).allowedRound(2, 2);
        ReplayReport report = replay(e);
        assertTrue(report.reproduced(), report.summary() + " " + findings);
        assertEquals(2, report.matched());
    }

    @Test
    void aHeldIntentIsComparedWhenHeldAndItsDecisionAfterARestartIsNotReportedAgain() {
        TestLogic.Ping ping = new TestLogic.Ping(1, TestLogic.ACT);
        org.nexusswarm.actors.spi.Intent intent = TestLogic.intentFor(ping, 1, TestLogic.TARGET);
        Episode e = new Episode(TestLogic.VERSION).started("{}").observed(ping).held(intent, List.of("feed:x"));
        long hold = e.lastSeq();
        // The supervisor restarted (a new incarnation of the logic) and then released the held intent.
        e.started("{}").proposedFromHold(intent, hold).allowed(intent.intentId(), TestLogic.ACT, "act")
                .allowedRound(2, 1);
        ReplayReport report = replay(e);
        assertTrue(report.reproduced(), report.summary() + " " + findings);
        assertEquals(2, report.matched(), findings.toString());
        assertEquals(0, report.notRecorded());
        assertEquals(0, report.notReplayed());
    }

    @Test
    void aChangedLogicIsReportedIntentByIntent() {
        EntityAddress elsewhere = EntityAddress.of(EntityKind.NODE, "rail-x.node-9");
        Function<String, Optional<AgentLogic<?>>> changed = v -> Optional.of(TestLogic.logic(v, elsewhere));
        Episode e = new Episode(TestLogic.VERSION).started("{}").allowedRound(1, 1)
                .proposed("ghost", TestLogic.ACT, java.util.Map.of()).allowed("ghost", TestLogic.ACT, "act");
        ReplayReport report = replay(e, changed, ReplayWindow.ALL);
        assertFalse(report.reproduced());
        assertEquals(1, report.different());
        assertEquals(1, report.notReplayed(), "the journal's 'ghost' intent was not emitted");
        ReplayFinding different = findings.stream().filter(f -> f.kind() == ReplayFinding.Kind.DIFFERENT)
                .findFirst().orElseThrow();
        assertTrue(different.detail().contains("target: recorded node:rail-x.node-0, replayed node:rail-x.node-9"),
                different.detail());
    }

    @Test
    void anIntentTheJournalDoesNotRecordIsReported() {
        Episode e = new Episode(TestLogic.VERSION).started("{}").allowedRound(1, 1)
                .observed(new TestLogic.Ping(2, TestLogic.ACT));
        ReplayReport report = replay(e);
        assertEquals(1, report.notRecorded());
        assertEquals(List.of(ReplayFinding.Kind.MATCH, ReplayFinding.Kind.NOT_RECORDED), kinds());
    }

    @Test
    void aDifferentPayloadIsADifference() {
        TestLogic.Ping ping = new TestLogic.Ping(1, TestLogic.ACT);
        org.nexusswarm.actors.spi.Intent real = TestLogic.intentFor(ping, 1, TestLogic.TARGET);
        org.nexusswarm.actors.spi.Intent forged = new org.nexusswarm.actors.spi.Intent(real.intentId(),
                real.actionClass(), real.target(), new TestLogic.Ping(99, "out"), real.parameters());
        Episode e = new Episode(TestLogic.VERSION).started("{}").observed(ping).proposed(forged)
                .allowed(real.intentId(), TestLogic.ACT, "act");
        ReplayReport report = replay(e);
        assertEquals(1, report.different());
        assertTrue(findings.get(0).detail().startsWith("payload: recorded sha256"), findings.get(0).detail());
    }

    @Test
    void observationsWithoutPayloadAreCountedAsNotReplayableNotACrash() {
        Episode e = new Episode(TestLogic.VERSION).started("{}").observedWithoutPayload()
                .proposed(TestLogic.intentFor(new TestLogic.Ping(1, TestLogic.ACT), 1, TestLogic.TARGET))
                .allowed("i-1-1", TestLogic.ACT, "act");
        ReplayReport report = replay(e);
        assertEquals(1, report.notReplayable());
        assertEquals(1, report.notReplayed());
        ReplayFinding first = findings.get(0);
        assertEquals(ReplayFinding.Kind.NOT_REPLAYABLE, first.kind());
        assertTrue(first.detail().contains("recorded before payloads were journaled"), first.detail());
    }

    @Test
    void noOutcomeIsFedWhenTheDecisionKilledTheEntityAndTheLogicRestartsOnRelease() {
        // Killed with the denial: the supervisor sends no outcome, so no retry; after the release a fresh logic
        // counts its inputs from 1 again.
        Episode e = new Episode(TestLogic.VERSION).started("{}")
                .allowedRound(1, 1)
                .deniedRound(2, 2).escalated().killedByDecision("3 denials")
                .released()
                .allowedRound(3, 1);
        ReplayReport report = replay(e);
        assertTrue(report.reproduced(), report.summary() + " " + findings);
        assertEquals(0, report.droppedAtKill());
        assertEquals(3, report.matched());
    }

    @Test
    void anOperatorKillAfterTheDecisionDoesNotWithholdTheOutcome() {
        // The outcome was sent before the operator's kill: the logic's retry was dropped with the logic.
        Episode e = new Episode(TestLogic.VERSION).started("{}").deniedRound(1, 1).killedByOperator("stop");
        ReplayReport report = replay(e);
        assertTrue(report.reproduced(), report.summary());
        assertEquals(1, report.droppedAtKill());
    }

    @Test
    void aStartedEventStartsAFreshLogic() {
        Episode e = new Episode(TestLogic.VERSION).started("{}").allowedRound(1, 1).started("{}").allowedRound(2, 1);
        assertTrue(replay(e).reproduced(), findings.toString());
    }

    @Test
    void aLogicThatThrowsIsReportedAndKeepsTheStateBeforeTheStep() {
        // The step that threw changed nothing (pure step, immutable state): the next input sees 1 earlier input.
        Episode e = new Episode(TestLogic.VERSION).started("{}").allowedRound(1, 1)
                .observed(new TestLogic.Ping(2, "boom"))
                .allowedRound(3, 2);
        ReplayReport report = replay(e);
        assertEquals(1, report.logicFailures());
        assertEquals(2, report.matched());
        assertTrue(findings.stream().anyMatch(f -> f.detail().contains("boom on 2")), findings.toString());
    }

    @Test
    void anUnknownLogicVersionIsAClearError() {
        Episode e = new Episode("someone-elses/7").started("{}").allowedRound(1, 1);
        UnknownLogicException error = assertThrows(UnknownLogicException.class, () -> replay(e));
        assertEquals("someone-elses/7", error.version());
        assertTrue(error.getMessage().contains("not provided by any pack"), error.getMessage());
    }

    @Test
    void theWindowLimitsWhatIsReportedButEarlierInputsStillBuildTheState() {
        Episode e = new Episode(TestLogic.VERSION).started("{}");
        for (int n = 1; n <= 10; n++) {
            e.allowedRound(n, n);
        }
        // Event s happens at T0 + s seconds; round n proposes at event 3n.
        long from = Episode.T0 + 11_000;
        long to = Episode.T0 + 19_000;
        ReplayReport report = replay(e, CATALOG, new ReplayWindow(from, to));
        assertTrue(report.reproduced(), findings.toString());
        assertEquals(3, report.decisions(), "rounds 4, 5 and 6 lie in the window");
        assertTrue(findings.stream().allMatch(f -> f.wallTimeMillis() >= from && f.wallTimeMillis() <= to));
        assertTrue(report.eventsRead() < e.events().size(), "stops reading after the window");
    }

    @Test
    void aMillionEventJournalStreams() {
        int rounds = 333_334; // Observed, ActionProposed, ActionAllowed: 1,000,002 events
        Iterator<SafetyEvent> events = new Iterator<>() {
            private final Episode episode = new Episode(TestLogic.VERSION).started("{}");
            private final java.util.ArrayDeque<SafetyEvent> buffer = new java.util.ArrayDeque<>(episode.events());
            private long n;

            @Override
            public boolean hasNext() {
                return !buffer.isEmpty() || n < rounds;
            }

            @Override
            public SafetyEvent next() {
                if (buffer.isEmpty()) {
                    n++;
                    // A fresh episode per round keeps the generator itself constant in memory.
                    Episode round = new Episode(TestLogic.VERSION).at(Episode.T0 + n * 3000);
                    buffer.addAll(round.allowedRound(n, n).events());
                }
                return buffer.removeFirst();
            }
        };
        ReplayReport report = DeterminismReplay.run(Episode.SELF, CATALOG, ReplayWindow.ALL, events, f -> {
            if (f.kind() != ReplayFinding.Kind.MATCH) {
                findings.add(f);
            }
        });
        assertEquals(1 + 3L * rounds, report.eventsRead());
        assertEquals(rounds, report.matched());
        assertTrue(report.reproduced(), findings.stream().limit(5).toList().toString());
    }
}
