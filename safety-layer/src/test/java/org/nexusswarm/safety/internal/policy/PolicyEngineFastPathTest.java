package org.nexusswarm.safety.internal.policy;

import org.nexusswarm.safety.api.policy.ActionRequest;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.policy.RateView;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nexusswarm.safety.api.policy.PolicyTexts.parsed;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The per-decision shortcuts of {@link PolicyEngine} agree with the plain computations: the largest finite
 * envelope use with the {@link PolicyEngine#envelopeUse} map, and the remembered policy order and version
 * text with a fresh sort, however the policy lists are built, reordered or changed.
 */
class PolicyEngineFastPathTest {

    private static final Instant AT = Instant.parse("2026-03-04T10:00:00Z");

    private static double fromMap(List<Policy> policies, ActionRequest request) {
        return Math.max(0.0, PolicyEngine.envelopeUse(policies, request).values().stream()
                .mapToDouble(Double::doubleValue).filter(Double::isFinite).max().orElse(0.0));
    }

    @Test
    void largestFiniteEnvelopeUseMatchesTheMap() {
        Random random = new Random(42);
        String[] names = {"mw", "fuel", "alt", "speed", "cpu", "x6"};
        for (int run = 0; run < 400; run++) {
            List<Policy> policies = new ArrayList<>();
            int count = 1 + random.nextInt(3);
            for (int p = 0; p < count; p++) {
                StringBuilder rules = new StringBuilder();
                int ruleCount = 1 + random.nextInt(3);
                for (int r = 0; r < ruleCount; r++) {
                    rules.append("r").append(r).append(" { action = \"").append(new String[] {"act", "*", "a*"}[r])
                            .append("\"\nparameters {\n");
                    for (String name : names) {
                        if (random.nextInt(3) == 0) {
                            double min = random.nextInt(5) == 0 ? -10 : 0;
                            rules.append(name).append(" { min = ").append(min).append(", max = ")
                                    .append(random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(100)).append(" }\n");
                        }
                    }
                    rules.append("}\nresources {\n");
                    for (String name : names) {
                        if (random.nextInt(4) == 0) {
                            rules.append(name).append(" = ").append(random.nextInt(3) == 0 ? 0 : random.nextInt(50))
                                    .append('\n');
                        }
                    }
                    rules.append("} }\n");
                }
                policies.add(parsed((p == 0 ? "rail:r" : "pack:p") + p, 1 + p, rules.toString()));
            }
            Map<String, Double> parameters = new HashMap<>();
            for (String name : names) {
                switch (random.nextInt(6)) {
                    case 0 -> parameters.put(name, Double.NaN);
                    case 1 -> parameters.put(name, random.nextBoolean() ? Double.POSITIVE_INFINITY
                            : Double.NEGATIVE_INFINITY);
                    case 2 -> { }
                    default -> parameters.put(name, random.nextDouble() * 150 - 20);
                }
            }
            ActionRequest request = new ActionRequest("act", "t", "p", parameters, AT);
            assertEquals(fromMap(policies, request),
                    Math.max(0.0, PolicyEngine.largestFiniteEnvelopeUse(policies, request)), "run " + run);
        }
    }

    @Test
    void rememberedOrderFollowsTheGivenPolicies() {
        Policy rail = parsed("rail:a", 1, "x { action = \"*\" }");
        Policy rail2 = parsed("rail:a", 2, "x { action = \"*\" }");
        Policy pack = parsed("pack:b", 1, "x { action = \"*\" }");
        Policy pack2 = parsed("pack:c", 7, "x { action = \"*\" }");
        ActionRequest request = new ActionRequest("act", "t", "p", Map.of(), AT);
        for (int i = 0; i < 3; i++) {
            assertEquals("rail:a@1,pack:b@1", PolicyEngine.versions(List.of(pack, rail)));
            assertEquals("rail:a@1,pack:b@1", PolicyEngine.versions(new ArrayList<>(List.of(rail, pack))));
            assertEquals("rail:a@2,pack:b@1", PolicyEngine.versions(List.of(pack, rail2)));
            assertEquals("rail:a@1,pack:b@1,pack:c@7", PolicyEngine.versions(List.of(pack, rail, pack2)));
            assertEquals("rail:a@1", PolicyEngine.versions(List.of(rail)));
            List<Policy> mutable = new ArrayList<>(List.of(pack, rail));
            assertEquals("rail:a@1,pack:b@1", PolicyEngine.evaluate(mutable, request, RateView.NONE).policyVersions());
            mutable.set(1, rail2); // the same list instance with other contents
            assertEquals("rail:a@2,pack:b@1", PolicyEngine.evaluate(mutable, request, RateView.NONE).policyVersions());
            assertEquals("rail:a@2,pack:b@1", PolicyEngine.versions(mutable));
        }
    }
}
