package org.nexusswarm.safety.internal.supervisor;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.memory.chronotope.HybridLogicalClock;
import org.nexusswarm.safety.api.credential.Credential;
import org.nexusswarm.safety.api.credential.IssuerKeys;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.policy.PolicyParseException;
import org.nexusswarm.safety.api.policy.PolicyParser;
import org.nexusswarm.safety.api.registry.EntitySpec;
import org.nexusswarm.safety.api.registry.SafetyRegistry;
import org.nexusswarm.safety.internal.registry.SafetyServices;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.LogicStarted;

/** A test system's safety registry with a trusted issuer, an admitted operator, and helpers to deploy and sign. */
final class SafetyFixture {

    static final String OPERATOR = "operator:ops";
    static final String PLACE = "cell-42";
    static final SwarmKryo PAYLOADS = SwarmKryo.withoutActorRefs();
    private static final AtomicLong IDS = new AtomicLong();

    /** One deployed entity with the probes its logic reports to. */
    record Deployed(EntityAddress address, SwarmKeyPair keys, Credential credential, TestProbe<AgentInput> inputs,
            TestProbe<LogicStarted> starts) {
        String persistenceId() {
            return address.persistenceId();
        }
    }

    final ActorTestKit testKit;
    final SafetyRegistry registry;
    final SwarmKeyPair issuer = Ed25519.generate();
    final SwarmKeyPair operator = Ed25519.generate();
    private final AtomicLong nonces = new AtomicLong();

    SafetyFixture(ActorTestKit testKit) {
        this.testKit = testKit;
        this.registry = SafetyRegistry.get(testKit.system());
        registry.trustIssuer(issuer.did());
        registry.identities().admit(operator.did(), OPERATOR);
        registry.services().usePolicies((rail, pack) -> List.of(PERMISSIVE));
    }

    /** A test kit whose entities journal into the in-memory persistence test kit (for real sharded supervisors). */
    static org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit journaledTestKit(String name) {
        return org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit.create(name,
                org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin.config()
                        .withFallback(org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin.config())
                        .withFallback(com.typesafe.config.ConfigFactory.load("application-test")));
    }

    /** The swarm this test system is, as operator tokens must name it. */
    String audience() {
        return org.nexusswarm.safety.api.operator.OperatorCommandSettings.audienceOf(testKit.system());
    }

    /** An operator kill of {@code to}, carrying the admitted operator's signed command (as the edge forwards it). */
    org.nexusswarm.actors.protocol.Kill kill(EntityAddress to, String reason,
            org.apache.pekko.actor.typed.ActorRef<org.nexusswarm.actors.protocol.EntityStatus> replyTo) {
        return new org.nexusswarm.actors.protocol.Kill(org.nexusswarm.safety.api.operator.OperatorTokens.sign(operator,
                audience(), org.nexusswarm.safety.api.operator.OperatorCommandKind.KILL, org.nexusswarm.safety.api.operator.OperatorTokens
                        .body("scope", "ENTITY", "name", to.toString(), "reason", reason)), replyTo);
    }

    /** An operator's request to release {@code to}, signed likewise. */
    org.nexusswarm.actors.protocol.RequestRelease release(EntityAddress to, String reason,
            org.apache.pekko.actor.typed.ActorRef<org.nexusswarm.actors.protocol.EntityStatus> replyTo) {
        return new org.nexusswarm.actors.protocol.RequestRelease(org.nexusswarm.safety.api.operator.OperatorTokens.sign(
                operator, audience(), org.nexusswarm.safety.api.operator.OperatorCommandKind.RELEASE,
                org.nexusswarm.safety.api.operator.OperatorTokens.body("entity", to.toString(), "reason", reason)), replyTo);
    }

    /** A policy that lets the credential decide: every action class has a rule. */
    static final Policy PERMISSIVE = parse("scope = \"rail:none\"\nversion = 1\nrules { anything { action = \"*\" } }\n");

    static Policy parse(String text) {
        try {
            return PolicyParser.parse(text);
        } catch (PolicyParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A policy for the test entities' rail ({@code rail:none}) at {@code version}; {@code body} holds the rules. */
    static Policy policy(long version, String body) {
        return parse("scope = \"rail:none\"\nversion = " + version + "\n" + body + "\n");
    }

    /** From now on every entity (of rail and pack {@code none}) is governed by exactly {@code policies}. */
    void usePolicies(Policy... policies) {
        List<Policy> list = List.of(policies);
        registry.services().usePolicies((rail, pack) -> list);
    }

    /** Back to the defaults of these tests: the permissive policy, nothing revoked, no kill switch. */
    void resetServices() {
        SafetyServices services = registry.services();
        services.usePolicies((rail, pack) -> List.of(PERMISSIVE));
        services.useRevocations(id -> false);
        services.useKillSwitch(SafetyServices.KillSwitchView.NONE);
    }

    /** Keys of {@code n} fresh approvers (their DIDs go into policies; the keys sign votes in tests). */
    static List<SwarmKeyPair> approverKeys(int n) {
        return IntStream.range(0, n).mapToObj(i -> Ed25519.generate()).toList();
    }

    static List<String> didsOf(List<SwarmKeyPair> keys) {
        return keys.stream().map(k -> k.did().value()).toList();
    }

    /**
     * A decision proven by real votes of {@code voters} on {@code approvalId} (signed operator commands of kind vote
     * for this test system's swarm), as an approval request sends it.
     */
    org.nexusswarm.safety.internal.approval.ApprovalProof proof(String approvalId, String summary, boolean approve,
            String reason, List<SwarmKeyPair> voters) {
        List<org.nexusswarm.safety.api.approval.TokenVote> votes = voters.stream()
                .map(k -> org.nexusswarm.safety.api.approval.TokenVote.of(registry.services().operatorCommands()
                        .verify(org.nexusswarm.safety.api.operator.OperatorTokens.sign(k, audience(),
                                org.nexusswarm.safety.api.operator.OperatorCommandKind.VOTE,
                                org.nexusswarm.safety.api.operator.OperatorTokens.body("approvalId", approvalId,
                                        "approve", approve)), org.nexusswarm.safety.api.operator.OperatorCommandKind.VOTE)))
                .toList();
        return new org.nexusswarm.safety.internal.approval.ApprovalProof(new org.nexusswarm.safety.api.approval.ApprovalDecided(
                approvalId, approve, reason, didsOf(voters)), summary, votes);
    }

    /** DIDs of {@code n} fresh approvers, as a policy names them. */
    static List<String> approverDids(int n) {
        return IntStream.range(0, n).mapToObj(i -> Ed25519.generate().did().value()).toList();
    }

    static EntityAddress freshAddress(String prefix) {
        return EntityAddress.of(EntityKind.AGENT, prefix + "-" + IDS.incrementAndGet());
    }

    /** A valid credential for {@code subject}, issued by the trusted issuer, valid for an hour. */
    Credential credential(SwarmKeyPair subject, List<String> allowed) {
        long now = System.currentTimeMillis();
        return Credential.issue(issuer, "cred-" + IDS.incrementAndGet(), subject.did(), allowed, now - 60_000,
                now + 3_600_000);
    }

    /** A credential for {@code subject} with places and limits, valid from a minute ago for an hour. */
    Credential credential(SwarmKeyPair subject, List<String> allowed, List<String> places, Credential.Limits limits) {
        long now = System.currentTimeMillis();
        return Credential.issue(IssuerKeys.of(issuer), "cred-" + IDS.incrementAndGet(), subject.did(), allowed, places,
                limits, now - 60_000, now + 3_600_000);
    }

    Deployed deploy(String prefix, Function<SwarmKeyPair, Credential> credential) {
        return deploy(freshAddress(prefix), credential, null);
    }

    Deployed deploy(String prefix, List<String> allowed) {
        return deploy(freshAddress(prefix), keys -> credential(keys, allowed), null);
    }

    /** An entity whose credential allows {@code allowed} but whose logic declares its payloads for {@code declared}. */
    Deployed deployDeclaring(String prefix, List<String> allowed, java.util.Collection<String> declared) {
        SwarmKeyPair keys = Ed25519.generate();
        TestProbe<AgentInput> inputs = testKit.createTestProbe();
        TestProbe<LogicStarted> starts = testKit.createTestProbe();
        Credential c = credential(keys, allowed);
        EntityAddress address = freshAddress(prefix);
        registry.deploy(new EntitySpec(address, PLACE, keys, c, ProbeLogic.of(inputs.ref(), starts.ref(), null,
                declared)));
        return new Deployed(address, keys, c, inputs, starts);
    }

    /** Deploys {@code entity} again with a logic that reads {@code measured} as Measured's parameters. */
    void redeployReading(Deployed entity, List<String> measured) {
        registry.deploy(new EntitySpec(entity.address(), PLACE, entity.keys(), entity.credential(),
                ProbeLogic.of(entity.inputs().ref(), entity.starts().ref(), null,
                        entity.credential().allowedActions(), measured)));
    }

    Deployed deploy(EntityAddress address, Function<SwarmKeyPair, Credential> credential, String replyAction) {
        SwarmKeyPair keys = Ed25519.generate();
        TestProbe<AgentInput> inputs = testKit.createTestProbe();
        TestProbe<LogicStarted> starts = testKit.createTestProbe();
        Credential c = credential.apply(keys);
        registry.deploy(new EntitySpec(address, PLACE, keys, c, ProbeLogic.of(inputs.ref(), starts.ref(), replyAction,
                c.allowedActions())));
        return new Deployed(address, keys, c, inputs, starts);
    }

    /** The message an envelope carries for its recipient's logic (inside its provenance frame, if any). */
    static Object message(SignedEnvelope envelope) {
        return org.nexusswarm.safety.internal.provenance.ProvenanceFrame.messageOf(PAYLOADS, envelope.payload());
    }

    /** An envelope from the admitted operator to {@code to}, signed correctly. */
    SignedEnvelope fromOperator(EntityAddress to, SwarmMessage payload) {
        return signedBytes(operator, OPERATOR, to.toString(), PAYLOADS.toBytes(payload));
    }

    /** Like {@link #fromOperator} but stamped with the wall-clock time {@code physicalMillis}. */
    SignedEnvelope fromOperatorStampedAt(EntityAddress to, SwarmMessage payload, long physicalMillis) {
        return SignedEnvelope.sign(operator, OPERATOR, to.toString(), nonces.incrementAndGet(),
                HybridLogicalClock.pack(physicalMillis, 0), PAYLOADS.toBytes(payload));
    }

    SignedEnvelope signedBytes(SwarmKeyPair keys, String sender, String recipient, byte[] payload) {
        return SignedEnvelope.sign(keys, sender, recipient, nonces.incrementAndGet(),
                HybridLogicalClock.pack(System.currentTimeMillis(), 0), payload);
    }

    /** The next nonce of this fixture's senders (unique per fixture). */
    long nextNonce() {
        return nonces.incrementAndGet();
    }
}
