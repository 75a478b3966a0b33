package org.nexusswarm.safety.api.operator;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * The one authenticator of signed operator commands (kill, lift, release, revoke, policy push, votes): the
 * {@link OperatorTokenVerifier}'s checks, then the {@code jti} claimed in the journaled {@link NonceLedger}, so a
 * command is carried out at most once, across nodes and restarts. The nonce is claimed only after the signature
 * verified, so nobody without the operator's key can burn an operator's nonces.
 *
 * <p>{@link #get} gives the node's instance: admitted operators from the {@link SafetyRegistry}, limits and audience
 * from {@code nexus.swarm.safety.operator-commands}, the ledger in sharded {@link OperatorNonces} entities; creating
 * it also installs it in the node's safety services, where approval requests and policy stores get it.
 */
public final class OperatorCommandAuthenticator implements Extension {

    private static final ExtensionId<OperatorCommandAuthenticator> ID = new ExtensionId<>() {
        @Override
        public OperatorCommandAuthenticator createExtension(ActorSystem<?> system) {
            OperatorCommandSettings settings = OperatorCommandSettings.from(system.settings().config(),
                    system.name());
            Clock clock = Clock.systemUTC();
            OperatorNonces.init(system, clock, settings);
            OperatorCommandAuthenticator authenticator = new OperatorCommandAuthenticator(new OperatorTokenVerifier(
                    SafetyRegistry.get(system).identities(), clock, settings), OperatorNonces.sharded(system, settings));
            // The entities that authenticate commands themselves (approval requests, policy stores) use this one.
            SafetyRegistry.get(system).services().useOperatorAuthenticator(authenticator);
            return authenticator;
        }
    };

    private final OperatorTokenVerifier verifier;
    private final NonceLedger ledger;

    public OperatorCommandAuthenticator(OperatorTokenVerifier verifier, NonceLedger ledger) {
        this.verifier = verifier;
        this.ledger = ledger;
    }

    public static OperatorCommandAuthenticator get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    public OperatorTokenVerifier verifier() {
        return verifier;
    }

    public NonceLedger ledger() {
        return ledger;
    }

    /** The verified command once its nonce is claimed; fails with {@link OperatorCommandRefused}. */
    public CompletionStage<VerifiedOperatorCommand> authenticate(String token, OperatorCommandKind expected) {
        VerifiedOperatorCommand command;
        try {
            command = verifier.verify(token, expected);
        } catch (OperatorCommandRefused refused) {
            return CompletableFuture.failedFuture(refused);
        }
        return claim(command);
    }

    /**
     * The second half of {@link #authenticate}, for an entity that checked the command against its own state
     * first (so a token sent to the wrong entity does not burn the nonce it needs at the right one): claims the
     * nonce of a command {@link #verifier()} passed.
     */
    public CompletionStage<VerifiedOperatorCommand> claim(VerifiedOperatorCommand command) {
        CompletionStage<Void> claimed;
        try {
            claimed = ledger.claim(command.issuerDid(), command.jti(), command.expiresAt().toEpochMilli());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return claimed.thenApply(done -> command);
    }
}
