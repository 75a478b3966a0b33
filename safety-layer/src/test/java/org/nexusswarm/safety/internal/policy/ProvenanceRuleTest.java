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
import static org.nexusswarm.safety.api.policy.PolicyTexts.parsed;
import static org.nexusswarm.safety.api.policy.PolicyTexts.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.safety.api.policy.PolicyDecision.Allow;
import org.nexusswarm.safety.api.policy.PolicyDecision.Deny;

/** The {@code require-provenance} rule: its syntax, and how the engine asks the cause chain and reports a denial. */
class ProvenanceRuleTest {

    private static final Instant AT = Instant.parse("2026-03-04T10:00:00Z");
    private static final Policy GUARDED = parsed("rail:bank", 2, """
            any { action = "*" }
            pay { action = "funds.transfer", require-provenance { hops = 3 } }
            """);

    private static ActionRequest request(String action) {
        return new ActionRequest(action, "node:vault", "cell", Map.of(), AT);
    }

    @Test
    void theRuleKeepsItsHopsAndOtherRulesHaveNone() {
        assertEquals(3, GUARDED.rules().stream().filter(r -> r.id().equals("pay")).findFirst().orElseThrow()
                .provenanceHops());
        assertEquals(0, GUARDED.rules().stream().filter(r -> r.id().equals("any")).findFirst().orElseThrow()
                .provenanceHops());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "require-provenance { hops = 0 }      | hops: must be between 1 and 8",
            "require-provenance { hops = 9 }      | hops: must be between 1 and 8",
            "require-provenance { hops = \"2\" }  | hops: must be a whole number",
            "require-provenance { hops = 1.5 }    | hops: must be a whole number",
            "require-provenance {}                | hops: missing",
            "require-provenance { hops = 2, sticky = true } | sticky",
            "require-provenance { hops = 2, since-start = \"yes\" } | since-start: must be true or false",
            "require-provenance = 2               | require-provenance"})
    void badProvenanceRulesAreRefused(String rule, String expected) {
        PolicyParseException e = assertThrows(PolicyParseException.class, () -> PolicyParser.parse(
                policy("rail:x", 1, "a { action = \"funds.transfer\", " + rule + " }")));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void sinceStartIsParsedAndPassedToTheChain() {
        Policy p = parsed("rail:bank", 4, """
                pay { action = "funds.transfer", require-provenance { hops = 2, since-start = true } }
                """);
        PolicyRule rule = p.rules().get(0);
        assertEquals(2, rule.provenanceHops());
        assertTrue(rule.provenanceSinceStart());
        List<Boolean> asked = new ArrayList<>();
        PolicyEngine.evaluate(List.of(p), request("funds.transfer"), RateView.NONE, (a, h, s) -> {
            asked.add(s);
            return Optional.empty();
        });
        assertEquals(List.of(true), asked);
        assertEquals(false, GUARDED.rules().get(1).provenanceSinceStart());
    }

    @Test
    void aDenyRuleTakesNoProvenance() {
        PolicyParseException e = assertThrows(PolicyParseException.class, () -> PolicyParser.parse(
                policy("rail:x", 1, "a { action = \"x\", deny = true, require-provenance { hops = 1 } }")));
        assertTrue(e.getMessage().contains("require-provenance"), e.getMessage());
    }

    @Test
    void theEngineAsksTheChainWithTheRulesHopsAndDeniesWithWhatItSays() {
        List<String> asked = new ArrayList<>();
        ProvenanceView view = (actionClass, hops, sinceStart) -> {
            asked.add(actionClass + "/" + hops + "/" + sinceStart);
            return Optional.of("lacking: agent:a");
        };

        Deny deny = assertInstanceOf(Deny.class, PolicyEngine.evaluate(List.of(GUARDED), request("funds.transfer"),
                RateView.NONE, view));

        assertEquals(RefusalCode.PROVENANCE, deny.code());
        assertEquals("lacking: agent:a", deny.detail());
        assertEquals("rail:bank/pay", deny.ruleId());
        assertEquals(List.of("funds.transfer/3/false"), asked);
    }

    @Test
    void actionsWithoutTheRuleNeverAskTheChain() {
        ProvenanceView view = (actionClass, hops, sinceStart) -> {
            throw new AssertionError("asked for " + actionClass);
        };
        assertInstanceOf(Allow.class, PolicyEngine.evaluate(List.of(GUARDED), request("chat.ask"), RateView.NONE,
                view));
    }

    @Test
    void aChainThatHoldsTheActionIsAllowedAndSoIsNoChain() {
        assertInstanceOf(Allow.class, PolicyEngine.evaluate(List.of(GUARDED), request("funds.transfer"),
                RateView.NONE, (a, h, s) -> Optional.empty()));
        assertInstanceOf(Allow.class, PolicyEngine.evaluate(List.of(GUARDED), request("funds.transfer"),
                RateView.NONE));
    }

    @Test
    void provenanceIsReportedBeforePlaceAndEnvelopeFailures() {
        Policy strict = parsed("rail:bank", 3, """
                pay {
                  action = "funds.transfer"
                  places = ["elsewhere"]
                  parameters { eur { max = 10 } }
                  require-provenance { hops = 1 }
                }
                """);
        Deny deny = assertInstanceOf(Deny.class, PolicyEngine.evaluate(List.of(strict),
                new ActionRequest("funds.transfer", "node:vault", "cell", Map.of("eur", 99.0), AT), RateView.NONE,
                (a, h, s) -> Optional.of("lacking: agent:a")));
        assertEquals(RefusalCode.PROVENANCE, deny.code());
        assertTrue(deny.detail().contains("and 2 more"), deny.detail());
    }
}
