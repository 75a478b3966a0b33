package org.nexusswarm.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.acme.replaycli.loop.LoopLogic;
import org.acme.replaycli.loop.LoopPack;
import org.acme.replaycli.refused.NetworkPack;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.testkit.query.scaladsl.PersistenceTestKitReadJournal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.memory.chronotope.Chronotope;
import org.nexusswarm.memory.journal.JournalReader;
import org.nexusswarm.packs.Pack;
import org.nexusswarm.packs.admission.PackAdmission;
import org.nexusswarm.packs.admission.ReplayLogics;
import org.nexusswarm.safety.api.admission.PackFiles;
import org.nexusswarm.safety.api.admission.PackManifest;
import org.nexusswarm.safety.api.admission.TrustedPublishers;
import org.nexusswarm.safety.api.credential.IssuerKeys;
import org.nexusswarm.safety.api.replay.DeterminismReplay;
import org.nexusswarm.safety.api.replay.ReplayCalls;
import org.nexusswarm.safety.api.replay.ReplayFinding;
import org.nexusswarm.safety.api.replay.ReplayReport;
import org.nexusswarm.safety.api.replay.ReplayWindow;
import org.nexusswarm.safety.api.replay.WhatIfReplay;
import org.nexusswarm.safety.api.supervisor.SafetyEvent;

/**
 * {@code journal replay}'s journal-to-replay path (as the command runs it, on a journal in the persistence testkit
 * instead of Cassandra): a pack refused at admission ends it with the admission's line and exit 6, nothing of the
 * pack having run; a logic whose step never returns is stopped at the cap and reported at that input.
 */
class JournalReplayGuardTest {

    private static ActorTestKit testKit;
    private static JournalReader reader;
    private static int journals;

    @TempDir
    Path dir;

    private final ReplayCalls calls = ReplayCalls.from(ConfigFactory.parseString(
            "nexus.swarm.safety { step-budget = 10ms, step-wall-cap-min = 300ms }").withFallback(ConfigFactory.load()));

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("JournalReplayGuardTest", PersistenceTestKitPlugin.config()
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.load("application-test")));
        reader = new JournalReader(testKit.system(), PersistenceTestKitReadJournal.Identifier());
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @AfterEach
    void stopCalls() {
        calls.shutdown();
    }

    /** A journal: Started naming {@code pack}, one Observed, and (if given) the kill for a logic fault. */
    private static EntityAddress journal(String pack, String version, String killReason) {
        EntityAddress self = EntityAddress.of(EntityKind.AGENT, "replay-guard.agent-" + (++journals));
        List<Object> events = new ArrayList<>();
        long t = 1_800_000_000_000L;
        events.add(new SafetyEvent.Started(chronotope(1, t, version), "rail", pack, version, "cred", "{}"));
        byte[] payload = SwarmKryo.withoutActorRefs().toBytes(new EntityStatus(self, false, 0, 1, ""));
        events.add(new SafetyEvent.Observed(chronotope(2, t + 1000, version), "feed:x", "did:nexus:feed",
                "EntityStatus", 2, payload));
        if (killReason != null) {
            events.add(new SafetyEvent.Killed(chronotope(3, t + 4000, version), "safety-layer", killReason));
        }
        PersistenceTestKit.create(testKit.system()).persistForRecovery(self.persistenceId(), events);
        return self;
    }

    private static Chronotope chronotope(long seq, long time, String version) {
        return new Chronotope(time, seq, seq, "cell-1", "", "", List.of(), "rail:x@1", version);
    }

    private ClassLoader loaderWith(Class<? extends Pack> packClass) throws Exception {
        Path services = dir.resolve("services/META-INF/services/" + Pack.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, packClass.getName() + "\n");
        return new URLClassLoader(new URL[] {dir.resolve("services").toUri().toURL()}, getClass().getClassLoader());
    }

    private ReplayLogics signedAndAdmitted(Class<? extends Pack> packClass, String name) throws Exception {
        ClassLoader loader = loaderWith(packClass);
        PackAdmission.Settings settings = new PackAdmission.Settings(dir.resolve("packs"), dir.resolve("trusted"),
                PackAdmission.BytecodeMode.ENFORCE, false);
        IssuerKeys publisher = IssuerKeys.generate(false);
        TrustedPublishers.append(dir.resolve("trusted"), publisher.did(), publisher.mlDsaPublicKey());
        PackFiles files = PackFiles.locate(loader, packClass.getName(), PackAdmission.RESOURCE_PREFIXES);
        Files.createDirectories(dir.resolve("packs"));
        Files.write(settings.manifestFile(name), PackManifest.sign(name, packClass.getName(), "1", List.of(), files,
                publisher, false).toJson());
        return new ReplayLogics(new PackAdmission(settings, PackAdmission.rules(), loader), calls);
    }

    private ReplayJournals.Replayed<JournalReplayCommand.Adapter<DeterminismReplay>> replay(EntityAddress self,
            ReplayLogics logics, List<ReplayFinding> findings) {
        return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> ReplayJournals.replayFirst(reader,
                testKit.system(), List.of(self), address -> new JournalReplayCommand.Adapter<>(
                        new DeterminismReplay(address, logics, calls, ReplayWindow.ALL, findings::add),
                        DeterminismReplay::accept, DeterminismReplay::done)), "the replay hung");
    }

    @Test
    void aJournalWhosePackIsRefusedAtAdmissionFailsWithTheAdmissionsLineAndExitSix() throws Exception {
        EntityAddress self = journal(NetworkPack.NAME, "network/1", null);
        ReplayLogics logics = signedAndAdmitted(NetworkPack.class, NetworkPack.NAME);
        List<ReplayFinding> findings = new ArrayList<>();
        UserError e = assertThrows(UserError.class, () -> replay(self, logics, findings));
        assertEquals(ExitCodes.REFUSED, e.exitCode());
        assertTrue(e.getMessage().startsWith("pack " + NetworkPack.NAME + " refused: "
                + NetworkPack.class.getName() + ".logic("), e.getMessage());
        assertTrue(e.getMessage().contains(" references java/") && e.getMessage().contains("(forbidden: files/network)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("is not replayed"), e.getMessage());
        assertTrue(findings.isEmpty(), findings.toString());

        // A what-if of the same journal is refused too, though it would run no pack code.
        var policy = org.nexusswarm.safety.api.policy.PolicyParser.parse(
                "scope = \"rail:x\"\nversion = 1\nrules {\n deny-all { action = \"*\", deny = true }\n}\n");
        UserError whatIf = assertThrows(UserError.class, () -> ReplayJournals.replayFirst(reader, testKit.system(),
                List.of(self), address -> new JournalReplayCommand.Adapter<>(new WhatIfReplay(policy, 3, ReplayWindow.ALL, d -> { }), (w, event) -> {
                                    if (event instanceof SafetyEvent.Started s) {
                                        logics.check(s.pack());
                                    }
                                    w.accept(event);
                                }, WhatIfReplay::done)));
        assertEquals(ExitCodes.REFUSED, whatIf.exitCode());
        assertEquals(e.getMessage(), whatIf.getMessage());
    }

    @Test
    void aJournalWhosePackHasNoManifestIsRefusedToo() throws Exception {
        EntityAddress self = journal("climate", "drought-watch-agent/1", null);
        ReplayLogics logics = new ReplayLogics(new PackAdmission(new PackAdmission.Settings(dir.resolve("none"),
                dir.resolve("trusted"), PackAdmission.BytecodeMode.ENFORCE, false)), calls);
        UserError e = assertThrows(UserError.class, () -> replay(self, logics, new ArrayList<>()));
        assertEquals(ExitCodes.REFUSED, e.exitCode());
        assertTrue(e.getMessage().startsWith("pack climate refused: no signed manifest at "), e.getMessage());
    }

    @Test
    void aStepThatNeverReturnsIsStoppedAtTheCapAndReportedAtItsInputAsTheJournalRecordsIt() throws Exception {
        EntityAddress self = journal(LoopPack.NAME, LoopLogic.VERSION,
                "logic fault: step still running after 2001 ms (wall-time cap 2000 ms); stopped");
        ReplayLogics logics = signedAndAdmitted(LoopPack.class, LoopPack.NAME);
        List<ReplayFinding> findings = new ArrayList<>();
        long t0 = System.nanoTime();
        var replayed = replay(self, logics, findings);
        ReplayReport report = replayed.replay().inner().finish();
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(20)) < 0);
        assertEquals(3, replayed.events());
        assertEquals(1, report.faultsAsRecorded(), findings.toString());
        ReplayFinding fault = findings.get(0);
        assertEquals(2, fault.sequence());
        assertTrue(fault.detail().contains("logic loop/1: the logic's step did not return within 300 ms")
                && fault.detail().contains("the entity was killed for this at seq 3"), fault.detail());
        assertTrue(report.reproduced(), report.summary());
    }

    @Test
    void aLoopTheJournalDoesNotRecordIsADivergence() throws Exception {
        EntityAddress self = journal(LoopPack.NAME, LoopLogic.VERSION, null);
        ReplayLogics logics = signedAndAdmitted(LoopPack.class, LoopPack.NAME);
        List<ReplayFinding> findings = new ArrayList<>();
        ReplayReport report = replay(self, logics, findings).replay().inner().finish();
        assertFalse(report.reproduced());
        assertEquals(1, report.logicFailures(), findings.toString());
        assertTrue(findings.get(0).detail().contains("the journal records no such fault"), findings.toString());
    }
}
