package org.nexusswarm.safety.api.replay;

import org.nexusswarm.safety.api.replay.Episode;
import org.nexusswarm.safety.api.replay.TestLogic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.credential.Credential;
import org.nexusswarm.safety.api.credential.IssuerKeys;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.policy.PolicyParseException;
import org.nexusswarm.safety.api.policy.PolicyParser;
import org.nexusswarm.safety.api.replay.WhatIfDecision.Change;
import org.nexusswarm.safety.api.replay.WhatIfDecision.Verdict;

class WhatIfReplayTest {

    private static final String OTHER = "test.other";
    private static final String FORBIDDEN = "test.forbidden";
    /** The credential the journals record: test.act and test.other, anywhere, valid around T0. */
    private static final String CREDENTIAL = Credential.issue(IssuerKeys.of(Ed25519.generate()), "cred-1",
            Ed25519.generate().did(), List.of(TestLogic.ACT, OTHER), List.of("*"), Credential.Limits.UNLIMITED,
            Episode.T0 - 3_600_000, Episode.T0 + 3_600_000).toJson();

    /** What the journals were recorded under: test.act within an envelope of 10 <= mw <= 100; test.other. */
    private static final Policy RECORDED = policy(1, act(10, 100) + "other { action = \"test.other\" }");

    private final List<WhatIfDecision> decisions = new ArrayList<>();

    private static Policy policy(long version, String rules) {
        try {
            return PolicyParser.parse("scope = \"rail:x\"\nversion = " + version + "\nrules {\n" + rules + "\n}\n");
        } catch (PolicyParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String act(int min, int max) {
        return "act { action = \"test.act\", parameters { mw { min = " + min + ", max = " + max + " } } }\n";
    }

    /**
     * An episode as the supervisor recorded it under {@link #RECORDED}: test.other allowed, mw=40 allowed, mw=5
     * denied (below the envelope, which leaves the drift monitor calm).
     */
    private static Episode recorded() {
        return new Episode(TestLogic.VERSION).started(CREDENTIAL)
                .proposed("c", OTHER, Map.of()).allowed("c", OTHER, "rail:x/other")
                .proposed("a", TestLogic.ACT, Map.of("mw", 40.0)).allowed("a", TestLogic.ACT, "rail:x/act")
                .proposed("b", TestLogic.ACT, Map.of("mw", 5.0)).denied("b", TestLogic.ACT,
                        RefusalCode.OUT_OF_ENVELOPE, "mw = 5 is outside the envelope (rule rail:x/act)", 1);
    }

    private WhatIfReport whatIf(Episode episode, Policy policy) {
        return WhatIfReplay.run(policy, 10, ReplayWindow.ALL, episode.events().iterator(), decisions::add);
    }

    private Change changeOf(String intentId) {
        return decisions.stream().filter(d -> d.intentId().equals(intentId)).findFirst().orElseThrow().change();
    }

    @Test
    void aProvenanceRuleIsUnknownOfflineForAnIntentWithACauseAndAppliesToOneWithout() {
        Policy guarded = policy(2, "act { action = \"test.act\", require-provenance { hops = 1 } }\n"
                + "other { action = \"test.other\" }");
        Episode e = new Episode(TestLogic.VERSION).started(CREDENTIAL)
                .proposed("free", TestLogic.ACT, Map.of()).allowed("free", TestLogic.ACT, "rail:x/act")
                .observedFramed(new TestLogic.Ping(1, TestLogic.ACT), List.of("agent:a"))
                .proposed("caused", TestLogic.ACT, Map.of()).allowed("caused", TestLogic.ACT, "rail:x/act");

        whatIf(e, guarded);

        assertEquals(Change.UNCHANGED, changeOf("free"), decisions.toString());
        WhatIfDecision caused = decisions.stream().filter(d -> d.intentId().equals("caused")).findFirst()
                .orElseThrow();
        assertEquals(WhatIfDecision.Verdict.UNKNOWN, caused.whatIf().verdict(), caused.toString());
        assertTrue(caused.whatIf().reason().contains("agent:b <- agent:a"), caused.whatIf().reason());
    }

    @Test
    void aHeldIntentIsDecidedWithTheCauseChainJournaledWithItsHold() {
        Policy guarded = policy(2, "act { action = \"test.act\", require-provenance { hops = 1 } }\n"
                + "other { action = \"test.other\" }");
        org.nexusswarm.actors.spi.Intent intent = new org.nexusswarm.actors.spi.Intent("held", TestLogic.ACT,
                TestLogic.TARGET, null, Map.of());
        Episode e = new Episode(TestLogic.VERSION).started(CREDENTIAL)
                .observedFramed(new TestLogic.Ping(1, TestLogic.ACT), List.of("agent:a"))
                .held(intent, List.of("agent:c"));
        long hold = e.lastSeq();
        e.observed(new TestLogic.Ping(2, TestLogic.ACT)).proposedFromHold(intent, hold)
                .allowed("held", TestLogic.ACT, "rail:x/act");

        whatIf(e, guarded);

        WhatIfDecision held = decisions.stream().filter(d -> d.intentId().equals("held")).findFirst().orElseThrow();
        assertEquals(WhatIfDecision.Verdict.UNKNOWN, held.whatIf().verdict(), held.toString());
        assertTrue(held.whatIf().reason().contains("agent:c"), held.whatIf().reason());
    }

    @Test
    void aHeldIntentDroppedUndecidedStaysAsRecorded() {
        org.nexusswarm.actors.spi.Intent intent = new org.nexusswarm.actors.spi.Intent("lost", TestLogic.ACT,
                TestLogic.TARGET, null, Map.of("mw", 20.0));
        Episode e = new Episode(TestLogic.VERSION).started(CREDENTIAL).held(intent, List.of());
        long hold = e.lastSeq();
        e.proposedFromHold(intent, hold).denied("lost", TestLogic.ACT, RefusalCode.THROTTLED_LOST,
                "held for logic v0, but logic v1 runs now; never sent", 0);

        whatIf(e, RECORDED);

        assertEquals(Change.UNCHANGED, changeOf("lost"), decisions.toString());
        assertTrue(decisions.get(0).whatIf().reason().contains("dropped undecided"), decisions.toString());
    }

    @Test
    void theSamePolicyChangesNothing() {
        WhatIfReport report = whatIf(recorded(), RECORDED);
        assertEquals(3, report.decisions());
        assertEquals(0, report.changed(), decisions.toString());
        assertEquals(3, report.count(Change.UNCHANGED));
        assertTrue(report.summary().startsWith("3 decisions under rail:x@1: 0 would change"), report.summary());
    }

    @Test
    void aStricterEnvelopeTurnsAnAllowedActionIntoADenial() {
        Policy stricter = policy(2, act(10, 30) + "other { action = \"test.other\" }");
        WhatIfReport report = whatIf(recorded(), stricter);
        assertEquals(Change.ALLOWED_TO_DENIED, changeOf("a"));
        assertEquals(Change.UNCHANGED, changeOf("b"));
        assertEquals(1, report.changed());
        WhatIfDecision a = decisions.get(1);
        assertEquals("rule rail:x/act", a.recorded().reason());
        assertEquals(Verdict.DENIED, a.whatIf().verdict());
        assertTrue(a.whatIf().reason().startsWith("OUT_OF_ENVELOPE"), a.whatIf().reason());
        assertEquals("rail:x@2", a.whatIf().policyVersion());
        assertTrue(report.summary().contains("1 allowed → denied"), report.summary());
    }

    @Test
    void aLooserEnvelopeTurnsADenialIntoAnAllowedAction() {
        Policy looser = policy(2, act(0, 100) + "other { action = \"test.other\" }");
        whatIf(recorded(), looser);
        assertEquals(Change.DENIED_TO_ALLOWED, changeOf("b"));
        assertEquals(Change.UNCHANGED, changeOf("a"));
    }

    @Test
    void anApprovalRuleReportsApprovalNowNeeded() {
        String approver = Ed25519.generate().did().value();
        Policy withApproval = policy(2, act(10, 100) + "other { action = \"test.other\", approval { co-sign { approvers = [\"" + approver
                + "\"], timeout = 10m } } }");
        WhatIfReport report = whatIf(recorded(), withApproval);
        assertEquals(Change.APPROVAL_NOW_NEEDED, changeOf("c"));
        assertEquals(1, report.count(Change.APPROVAL_NOW_NEEDED));
        assertTrue(decisions.get(0).whatIf().reason().startsWith("co-sign 1 of 1 within 10m"),
                decisions.get(0).whatIf().reason());
    }

    @Test
    void aRecordedApprovalThatIsNoLongerNeededIsReported() {
        ApprovalRequirement req = new ApprovalRequirement(ApprovalRequirement.Kind.CO_SIGN, 1,
                List.of(Ed25519.generate().did().value()), Duration.ofMinutes(10));
        Episode e = new Episode(TestLogic.VERSION).started(CREDENTIAL)
                .proposed("c", OTHER, Map.of()).approvalRequested("c", OTHER, req);
        whatIf(e, RECORDED);
        assertEquals(Change.APPROVAL_NO_LONGER_NEEDED, changeOf("c"));
    }

    @Test
    void rateLimitsCountTheWhatIfDecisionsThemselves() {
        Episode e = new Episode(TestLogic.VERSION).started(CREDENTIAL);
        for (int i = 1; i <= 4; i++) {
            e.proposed("o" + i, OTHER, Map.of()).allowed("o" + i, OTHER, "other");
        }
        Policy limited = policy(2, "other { action = \"test.other\", rate-limit { max = 2, per = 1m } }");
        WhatIfReport report = whatIf(e, limited);
        assertEquals(List.of(Change.UNCHANGED, Change.UNCHANGED, Change.ALLOWED_TO_DENIED, Change.ALLOWED_TO_DENIED),
                decisions.stream().map(WhatIfDecision::change).toList());
        assertTrue(decisions.get(3).whatIf().reason().startsWith("RATE_LIMITED"), decisions.get(3).whatIf().reason());
        assertEquals(2, report.count(Change.ALLOWED_TO_DENIED));
    }

    @Test
    void credentialRefusalsStayAsRecorded() {
        Episode e = new Episode(TestLogic.VERSION).started(CREDENTIAL)
                .proposed("f", FORBIDDEN, Map.of()).denied("f", FORBIDDEN, RefusalCode.NOT_IN_CREDENTIAL,
                        "action class 'test.forbidden' is not in credential cred-1", 1);
        whatIf(e, policy(2, "anything { action = \"*\" }"));
        assertEquals(Change.UNCHANGED, changeOf("f"));
        assertTrue(decisions.get(0).whatIf().reason().contains("credential refusal stays as recorded"));
    }

    @Test
    void theWhatIfKillIsReported() {
        Episode e = new Episode(TestLogic.VERSION).started(CREDENTIAL);
        for (int i = 1; i <= 3; i++) {
            e.proposed("o" + i, OTHER, Map.of()).allowed("o" + i, OTHER, "other");
        }
        WhatIfReport report = WhatIfReplay.run(policy(2, "act { action = \"test.act\" }"), 2, ReplayWindow.ALL,
                e.events().iterator(), decisions::add);
        assertEquals(3, report.count(Change.ALLOWED_TO_DENIED));
        assertTrue(report.whatIfKill().contains("2 denied intents (limit 2)"), report.whatIfKill());
    }

    @Test
    void withoutAJournaledCredentialNothingIsEvaluated() {
        Episode e = new Episode(TestLogic.VERSION)
                .proposed("a", TestLogic.ACT, Map.of("mw", 40.0)).allowed("a", TestLogic.ACT, "act");
        WhatIfReport report = whatIf(e, RECORDED);
        assertEquals(1, report.count(Change.NOT_EVALUATED));
        assertEquals(0, report.changed());
    }
}
