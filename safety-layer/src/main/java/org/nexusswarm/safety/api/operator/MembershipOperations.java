package org.nexusswarm.safety.api.operator;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Leave;

/**
 * A signed {@code leave}: the node that receives it leaves the cluster gracefully (its shards are handed off to
 * the other nodes, then it stops). The command names the node's own address, so a token made for one node cannot
 * make another leave, and it is spent once like every operator command. Asking an already leaving node is an
 * answer, not an error.
 */
public final class MembershipOperations {

    /** The node left (or was already leaving) on {@code operator}'s order. */
    public record Leaving(String node, String operator, String status) {}

    public static final int MAX_REASON_CHARS = 500;

    private final ActorSystem<?> system;

    public MembershipOperations(ActorSystem<?> system) {
        this.system = system;
    }

    CompletionStage<Leaving> leave(VerifiedOperatorCommand cmd) {
        Cluster cluster = Cluster.get(system);
        String self = cluster.selfMember().address().toString();
        String named = cmd.text("node");
        String reason = cmd.text("reason");
        if (reason.isBlank() || reason.length() > MAX_REASON_CHARS) {
            throw new OperatorCommandRefused(OperatorCommandRefused.Code.MALFORMED, "reason: 1 to "
                    + MAX_REASON_CHARS + " characters");
        }
        if (!named.equals(self)) {
            throw new OperatorCommandRefused(OperatorCommandRefused.Code.WRONG_TARGET, "the command is for node "
                    + named + ", this is " + self);
        }
        MemberStatus before = cluster.selfMember().status();
        system.log().warn("leaving the cluster on the order of {}: {}", cmd.operator(), reason);
        cluster.manager().tell(Leave.create(cluster.selfMember().address()));
        return CompletableFuture.completedFuture(new Leaving(self, cmd.operator(), before.toString()));
    }
}
