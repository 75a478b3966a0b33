package org.nexusswarm.safety.internal.policy;

import org.nexusswarm.safety.api.policy.ActionRequest;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.policy.PolicyDecision;
import org.nexusswarm.safety.api.policy.PolicyParseException;
import org.nexusswarm.safety.api.policy.PolicyParser;
import org.nexusswarm.safety.api.policy.PolicyRule;
import org.nexusswarm.safety.api.policy.PolicyTexts;
import org.nexusswarm.safety.api.policy.RateView;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The sequence rule "X after observing or performing Y within T needs approval": its syntax (and the mistakes the
 * parser refuses) and its evaluation on journaled times only.
 */
class SequenceRulePolicyTest {

    private static final long T0 = 1_800_000_000_000L;
    private static final String RULES = """
            shed {
              action = "grid.shed-load"
              approval { co-sign { approvers = %s, timeout = 5m } }
              after { observed = ["Storm*"], performed = ["alert.*"], within = 10m }
            }
            """.formatted(PolicyTexts.dids(0, 1));

    /** A history whose only facts are the given observed and performed times. */
    private static SequenceView history(Map<String, Long> observed, Map<String, Long> performed) {
        return new SequenceView() {
            @Override
            public OptionalLong lastObserved(String glob, long atMillis) {
                return last(observed, glob, atMillis);
            }

            @Override
            public OptionalLong lastPerformed(String glob, long atMillis) {
                return last(performed, glob, atMillis);
            }

            private OptionalLong last(Map<String, Long> facts, String glob, long atMillis) {
                return facts.entrySet().stream().filter(e -> Glob.matches(glob, e.getKey()) && e.getValue() <= atMillis)
                        .mapToLong(Map.Entry::getValue).max();
            }
        };
    }

    private static PolicyDecision decide(long atMillis, SequenceView history) {
        Policy p = PolicyTexts.parsed("rail:grid", 1, RULES);
        return PolicyEngine.evaluate(List.of(p), new ActionRequest("grid.shed-load", "node:x", "de", Map.of(),
                Instant.ofEpochMilli(atMillis)), RateView.NONE, history);
    }

    @Test
    void theSyntaxParsesIntoASequence() {
        PolicyRule rule = PolicyTexts.parsed("rail:grid", 1, RULES).rules().get(0);
        PolicyRule.Sequence s = rule.after().orElseThrow();
        assertEquals(List.of("Storm*"), s.observed());
        assertEquals(List.of("alert.*"), s.performed());
        assertEquals(Duration.ofMinutes(10), s.within());
        assertTrue(rule.approval().isPresent());
    }

    @Test
    void withinTheWindowAfterTheTriggerItNeedsApproval() {
        PolicyDecision d = decide(T0 + 600_000, history(Map.of("StormWarning", T0), Map.of()));
        NeedsApprovalCheck.of(d, "observed Storm*");
        NeedsApprovalCheck.of(decide(T0 + 60_000, history(Map.of(), Map.of("alert.raise", T0))), "performed alert.*");
    }

    @Test
    void afterTheWindowOrWithoutTheTriggerItDoesNot() {
        assertInstanceOf(PolicyDecision.Allow.class, decide(T0 + 600_001, history(Map.of("StormWarning", T0), Map.of())));
        assertInstanceOf(PolicyDecision.Allow.class, decide(T0, history(Map.of(), Map.of())));
        // Other payload types and action classes are no trigger.
        assertInstanceOf(PolicyDecision.Allow.class, decide(T0 + 1, history(Map.of("Note", T0),
                Map.of("grid.shed-load", T0))));
        // A trigger journaled after the request does not count backwards.
        assertInstanceOf(PolicyDecision.Allow.class, decide(T0, history(Map.of("StormWarning", T0 + 5), Map.of())));
    }

    @Test
    void withoutHistoryTheRuleFailsClosed() {
        Policy p = PolicyTexts.parsed("rail:grid", 1, RULES);
        PolicyDecision d = PolicyEngine.evaluate(List.of(p), new ActionRequest("grid.shed-load", "node:x", "de",
                Map.of(), Instant.ofEpochMilli(T0)), RateView.NONE);
        NeedsApprovalCheck.of(d, "sequence history unknown");
    }

    @Test
    void mistakesAreRefusedWithLineAndPath() {
        String approval = "approval { co-sign { approvers = " + PolicyTexts.dids(0, 1) + ", timeout = 5m } }\n";
        assertRefused("x { action = \"a.b\"\n after { observed = [\"T\"], within = 1m } }", "give the rule an approval");
        assertRefused("x { action = \"a.b\"\n" + approval + " after { within = 1m } }", "at least one trigger");
        assertRefused("x { action = \"a.b\"\n" + approval + " after { observed = [\"T\"] } }", "within");
        assertRefused("x { action = \"a.b\"\n" + approval + " after { observed = [\"a b\"], within = 1m } }",
                "not a payload type");
        assertRefused("x { action = \"a.b\"\n" + approval + " after { performed = [\"A.B\"], within = 1m } }",
                "not an action class");
        assertRefused("x { action = \"a.b\"\n" + approval + " after { observed = [\"T\"], within = 1m, or = 2 } }",
                "unknown key 'or'");
        assertRefused("x { action = \"a.b\", deny = true\n after { observed = [\"T\"], within = 1m } }",
                "takes no 'after'");
    }

    @Test
    void monitorsTakeTheFlappingLadderAndAmplitude() throws PolicyParseException {
        Policy p = PolicyParser.parse(PolicyTexts.simple("rail:grid", 1) + "\nmonitors {\n"
                + "  parameter-flapping { warn = 2, kill = 5 }\n  flapping-amplitude = 0.3\n}\n");
        assertEquals(2, p.monitors().parameterFlapping().warn(), 1e-9);
        assertEquals(5, p.monitors().parameterFlapping().kill(), 1e-9);
        assertEquals(0.3, p.monitors().flappingAmplitude(), 1e-9);
        assertThrows(PolicyParseException.class, () -> PolicyParser.parse(PolicyTexts.simple("rail:grid", 1)
                + "\nmonitors { flapping-amplitude = 0 }\n"));
    }

    private static void assertRefused(String rules, String expected) {
        PolicyParseException e = assertThrows(PolicyParseException.class,
                () -> PolicyParser.parse(PolicyTexts.policy("rail:grid", 1, rules)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** A NeedsApproval whose deciding rule names the trigger. */
    private static final class NeedsApprovalCheck {
        static void of(PolicyDecision d, String trigger) {
            PolicyDecision.NeedsApproval a = assertInstanceOf(PolicyDecision.NeedsApproval.class, d);
            assertTrue(a.ruleId().contains(trigger), a.ruleId());
        }
    }
}
