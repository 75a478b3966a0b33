package org.nexusswarm.safety.operator;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.safety.credential.RevocationList;
import org.nexusswarm.safety.monitor.KillSwitch;
import org.nexusswarm.safety.registry.SafetyRegistry;

/**
 * The operator edge's one entry point: each method takes a signed operator command (compact JWS, see
 * {@link OperatorTokens}), has the {@link OperatorCommandAuthenticator} check it for the one kind that method
 * carries out (and spend its nonce), then hands the verified command to its service. HTTP routes and CLI
 * commands parse, call one of these, and render. Every failure is an {@link OperatorCommandRefused}.
 */
public final class OperatorCommands implements Extension {

    private static final Duration DEFAULT_ASK_TIMEOUT = Duration.ofSeconds(15);

    private static final ExtensionId<OperatorCommands> ID = new ExtensionId<>() {
        @Override
        public OperatorCommands createExtension(ActorSystem<?> system) {
            var config = system.settings().config();
            Duration ask = config.hasPath("nexus.swarm.ask-timeout")
                    ? config.getDuration("nexus.swarm.ask-timeout") : DEFAULT_ASK_TIMEOUT;
            return new OperatorCommands(OperatorCommandAuthenticator.get(system),
                    new KillSwitchOperations(system, SafetyRegistry.get(system), KillSwitch.get(system),
                            Clock.systemUTC(), ask),
                    new ReleaseOperations(system, ask),
                    new RevocationOperations(RevocationList.get(system)),
                    new PolicyOperations(system, ask));
        }
    };

    private final OperatorCommandAuthenticator authenticator;
    private final KillSwitchOperations killSwitch;
    private final ReleaseOperations releases;
    private final RevocationOperations revocations;
    private final PolicyOperations policies;

    public OperatorCommands(OperatorCommandAuthenticator authenticator, KillSwitchOperations killSwitch,
            ReleaseOperations releases, RevocationOperations revocations, PolicyOperations policies) {
        this.authenticator = authenticator;
        this.killSwitch = killSwitch;
        this.releases = releases;
        this.revocations = revocations;
        this.policies = policies;
    }

    public static OperatorCommands get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    public CompletionStage<KillSwitchOperations.Engaged> engage(String token) {
        return run(token, OperatorCommandKind.KILL, killSwitch::engage);
    }

    public CompletionStage<KillSwitchOperations.LiftRequested> requestLift(String token) {
        return run(token, OperatorCommandKind.LIFT_REQUEST, killSwitch::requestLift);
    }

    public CompletionStage<KillSwitchOperations.Lifted> lift(String token) {
        return run(token, OperatorCommandKind.LIFT, killSwitch::lift);
    }

    /** {@code entity}: the entity the request was addressed to (the command must name the same one). */
    public CompletionStage<EntityStatus> release(String entity, String token) {
        return run(token, OperatorCommandKind.RELEASE, cmd -> releases.release(cmd, entity));
    }

    public CompletionStage<RevocationOperations.Revoked> revoke(String token) {
        return run(token, OperatorCommandKind.REVOKE, revocations::revoke);
    }

    /** {@code scope}: the scope the request was addressed to (the command must set the same one). */
    public CompletionStage<Long> pushPolicy(String scope, String token) {
        return run(token, OperatorCommandKind.POLICY, cmd -> policies.push(cmd, scope));
    }

    private <T> CompletionStage<T> run(String token, OperatorCommandKind kind,
            Function<VerifiedOperatorCommand, CompletionStage<T>> service) {
        return authenticator.authenticate(token, kind).thenCompose(service);
    }
}
