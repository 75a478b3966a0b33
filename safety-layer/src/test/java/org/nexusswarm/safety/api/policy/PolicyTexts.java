package org.nexusswarm.safety.api.policy;

import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.policy.PolicyParseException;
import org.nexusswarm.safety.api.policy.PolicyParser;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;

/** Policy texts and approver keys shared by the policy tests. */
public final class PolicyTexts {

    public static final List<SwarmKeyPair> APPROVERS = IntStream.range(0, 6).mapToObj(i -> Ed25519.generate()).toList();

    private PolicyTexts() {}

    public static String did(int i) {
        return APPROVERS.get(i).did().value();
    }

    /** {@code ["did1", "did2", ...]} for approvers {@code from..to-1}. */
    public static String dids(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "\"" + did(i) + "\"")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** A policy of {@code scope} at {@code version} with the given rules block content. */
    public static String policy(String scope, long version, String rules) {
        return "scope = \"" + scope + "\"\nversion = " + version + "\nrules {\n" + rules + "\n}\n";
    }

    public static Policy parsed(String scope, long version, String rules) {
        try {
            return PolicyParser.parse(policy(scope, version, rules));
        } catch (PolicyParseException e) {
            throw new AssertionError("test policy does not parse: " + e.getMessage(), e);
        }
    }

    /** A minimal valid policy allowing {@code compute.request}. */
    public static String simple(String scope, long version) {
        return policy(scope, version, "compute { action = \"compute.request\" }");
    }
}
