package org.nexusswarm.coordinator.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.nexusswarm.safety.api.operator.MembershipOperations;
import org.nexusswarm.safety.api.operator.OperatorCommands;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.nexusswarm.actors.entity.EntityKind;

/**
 * {@code POST /cluster/leave} (a signed {@code leave} naming this node): the node leaves the cluster gracefully.
 *
 * <p>{@code GET /cluster}: what this node sees of the cluster (every member's address, status, roles and
 * reachability) and which shards and entities of each entity kind it hosts. Read-only, like {@code /health}:
 * {@code swarm cluster status} asks every node and puts the answers together.
 */
public final class ClusterStatusRoutes extends AllDirectives implements OperatorRoutes {

    private final ActorSystem<?> system;
    private final Duration timeout;

    public ClusterStatusRoutes(ActorSystem<?> system, Duration timeout) {
        this.system = system;
        this.timeout = timeout;
    }

    @Override
    public Route route() {
        return pathPrefix("cluster", () -> concat(
                pathEnd(() -> get(() -> parameterOptional("entities", list -> completeWithFuture(
                        status(list.map("true"::equals).orElse(false))
                                .thenApply(body -> JsonResponses.json(StatusCodes.OK, body)))))),
                path("leave", () -> post(() -> withSizeLimit(KillSwitchRoutes.MAX_BODY_BYTES, () ->
                        entity(Unmarshaller.entityToString(), body -> completeWithFuture(SignedCommands.handle(body,
                                OperatorCommands.get(system)::leave, ClusterStatusRoutes::leaving))))))));
    }

    private static HttpResponse leaving(MembershipOperations.Leaving l) {
        ObjectNode ok = SignedCommands.JSON.createObjectNode().put("leaving", l.node()).put("operator", l.operator())
                .put("statusBefore", l.status());
        return SignedCommands.ok(ok);
    }

    /** With {@code entityIds}, also every hosted entity's id (for {@code swarm cluster status --entities}). */
    CompletionStage<ObjectNode> status(boolean entityIds) {
        Cluster cluster = Cluster.get(system);
        ObjectNode body = SignedCommands.JSON.createObjectNode();
        body.put("self", cluster.selfMember().address().toString());
        body.put("selfStatus", cluster.selfMember().status().toString());
        body.put("leader", cluster.state().getLeader() == null ? "" : cluster.state().getLeader().toString());
        ArrayNode members = body.putArray("members");
        var unreachable = cluster.state().getUnreachable();
        for (Member m : cluster.state().getMembers()) {
            ObjectNode n = members.addObject();
            n.put("address", m.address().toString());
            n.put("status", m.status().toString());
            n.put("reachable", !unreachable.contains(m));
            ArrayNode roles = n.putArray("roles");
            m.getRoles().stream().filter(r -> !r.startsWith("dc-")).sorted().forEach(roles::add);
        }
        ObjectNode hosted = body.putObject("hosted");
        List<CompletableFuture<Void>> asks = new ArrayList<>();
        for (EntityKind kind : EntityKind.values()) {
            ObjectNode k = hosted.putObject(kind.name().toLowerCase(java.util.Locale.ROOT));
            CompletionStage<ShardRegion.CurrentShardRegionState> state = AskPattern.ask(
                    ClusterSharding.get(system).shardState(),
                    replyTo -> new GetShardRegionState(kind.typeKey(), replyTo), timeout, system.scheduler());
            asks.add(state.toCompletableFuture().handle((s, failure) -> {
                synchronized (k) {
                    if (failure != null) {
                        k.put("error", "no answer from the shard region: " + failure.getMessage());
                    } else {
                        k.put("shards", s.getShards().size());
                        k.put("entities", s.getShards().stream().mapToInt(sh -> sh.getEntityIds().size()).sum());
                        if (entityIds) {
                            ArrayNode ids = k.putArray("ids");
                            s.getShards().stream().flatMap(sh -> sh.getEntityIds().stream()).sorted()
                                    .forEach(ids::add);
                        }
                    }
                }
                return null;
            }));
        }
        return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(v -> body);
    }
}
