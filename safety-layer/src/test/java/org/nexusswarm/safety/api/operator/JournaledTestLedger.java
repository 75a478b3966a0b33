package org.nexusswarm.safety.api.operator;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;
import org.nexusswarm.actors.identity.IdentityDirectory;

/**
 * The journaled nonce ledger ({@link OperatorNonces}) as an entity test sees it: one ledger entity for every
 * operator, spawned in the test kit (no sharding), restartable so a test can prove a nonce stays spent.
 */
public final class JournaledTestLedger implements NonceLedger {

    private final ActorTestKit testKit;
    private final String id = "test-ledger-" + OperatorTokens.newJti();
    private volatile ActorRef<OperatorNonces.Command> actor;

    public JournaledTestLedger(ActorTestKit testKit) {
        this.testKit = testKit;
        start();
    }

    /** The authenticator entities get from the safety services: the verifier over {@code identities}, this ledger. */
    public OperatorCommandAuthenticator authenticator(IdentityDirectory identities, String audience) {
        return new OperatorCommandAuthenticator(new OperatorTokenVerifier(identities, Clock.systemUTC(),
                OperatorCommandSettings.DEFAULTS.withAudience(audience)), this);
    }

    /** Stops the ledger entity and starts a new incarnation that recovers the spent nonces from its journal. */
    public void restart() {
        testKit.stop(actor);
        start();
    }

    private void start() {
        actor = testKit.spawn(OperatorNonces.create(id, Clock.systemUTC(), OperatorCommandSettings.DEFAULTS));
    }

    @Override
    public CompletionStage<Void> claim(String issuerDid, String jti, long expiresAtMillis) {
        return AskPattern.<OperatorNonces.Command, StatusReply<Done>>ask(actor,
                        replyTo -> new OperatorNonces.Claim(jti, expiresAtMillis, replyTo), Duration.ofSeconds(10),
                        testKit.scheduler())
                .thenApply(reply -> {
                    if (reply.isError()) {
                        throw new OperatorCommandRefused(OperatorCommandRefused.Code.REPLAYED,
                                reply.getError().getMessage());
                    }
                    return null;
                });
    }
}
