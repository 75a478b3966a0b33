package org.nexusswarm.orchestrators;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.spi.EntityLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.LogicContext;
import org.nexusswarm.actors.spi.LogicInput;
import org.nexusswarm.delegators.TaskRequest;
import org.nexusswarm.delegators.TaskResult;
import org.nexusswarm.delegators.TaskRuntime;

/**
 * The logic of an orchestrator: replicated dispatch of {@link ComputeRequest}s to delegators and a quorum
 * check of their {@link TaskResult}s.
 *
 * <p>For each request it picks {@code replicas} distinct delegators round-robin and sends each a
 * {@code task.dispatch} intent with task id {@code requestId + "/" + i}. Results are accepted only from the
 * delegator a task was dispatched to, and a result whose digest does not match its own value, or that did
 * not complete, counts as an abstention. As soon as {@code quorum} results share a digest the requester gets
 * a certified {@code compute.result}; when every replica has answered without a quorum it gets an
 * uncertified one. A dispatch the supervisor denies counts as that replica's abstention, so a request never
 * waits for a delegator that was never asked. Results arriving after the answer are still tallied (late
 * dissent is logged) but never cause a second answer.
 *
 * <p>Caveats: state is in memory only (the parent's journal is the durable record); a replica that never
 * answers keeps its request open, so at most {@code nexus.swarm.orchestrators.max-open-requests} requests may be open and further ones are
 * answered uncertified at once. A repeated request id from the same requester re-sends the earlier answer
 * while it is among the last {@value #RECENT_LIMIT} finished requests.
 */
public final class OrchestratorLogic extends AbstractBehavior<LogicInput> {

    public static final String VERSION = "orchestrator/1";
    public static final String DISPATCH_ACTION = "task.dispatch";
    public static final String RESULT_ACTION = "compute.result";
    static final int RECENT_LIMIT = 1024;
    private static final String DISPATCH_PREFIX = "dispatch/";

    /** One request in flight or recently finished. */
    private record Job(EntityAddress requester, ComputeRequest request, List<EntityAddress> assigned,
                       QuorumTally tally, ComputeResult answer) {
        Job withTally(QuorumTally t) {
            return new Job(requester, request, assigned, t, answer);
        }

        Job withAnswer(ComputeResult a) {
            return new Job(requester, request, assigned, tally, a);
        }
    }

    private final LogicContext logicContext;
    private final List<EntityAddress> delegators;
    private final int replicas;
    private final int quorum;
    /** From {@code nexus.swarm.orchestrators.max-open-requests}. */
    private final int maxOpen;
    private final Map<String, Job> open = new HashMap<>();
    private final Map<String, Job> recent = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Job> eldest) {
            return size() > RECENT_LIMIT;
        }
    };
    private int cursor;
    private long answers;

    private OrchestratorLogic(ActorContext<LogicInput> context, LogicContext logicContext,
                              List<EntityAddress> delegators, int replicas, int quorum) {
        super(context);
        this.logicContext = logicContext;
        this.delegators = delegators;
        this.replicas = replicas;
        this.quorum = quorum;
        this.maxOpen = context.getSystem().settings().config().getInt("nexus.swarm.orchestrators.max-open-requests");
    }

    /**
     * An orchestrator over {@code delegators} that runs each request on {@code replicas} of them and
     * certifies an output backed by {@code quorum}; requires {@code 1 <= quorum <= replicas <= delegators}.
     */
    public static EntityLogic logic(List<EntityAddress> delegators, int replicas, int quorum) {
        List<EntityAddress> pool = List.copyOf(delegators);
        if (pool.isEmpty() || pool.stream().distinct().count() != pool.size()) {
            throw new IllegalArgumentException("need a non-empty list of distinct delegators, got " + pool);
        }
        for (EntityAddress d : pool) {
            if (d.kind() != EntityKind.DELEGATOR) {
                throw new IllegalArgumentException("not a delegator: " + d);
            }
        }
        // Replicas must land on distinct delegators, otherwise one delegator could make up a quorum alone.
        if (replicas > pool.size()) {
            throw new IllegalArgumentException(
                    replicas + " replicas need at least as many delegators, got " + pool.size());
        }
        QuorumTally.of(replicas, quorum); // validates the quorum
        return EntityLogic.of(VERSION, ctx -> Behaviors.setup(
                context -> new OrchestratorLogic(context, ctx, pool, replicas, quorum)));
    }

    @Override
    public Receive<LogicInput> createReceive() {
        return newReceiveBuilder()
                .onMessage(LogicInput.Inbound.class, this::onInbound)
                .onMessage(LogicInput.IntentOutcome.class, this::onOutcome)
                .build();
    }

    private Behavior<LogicInput> onInbound(LogicInput.Inbound in) {
        Optional<EntityAddress> sender = in.fromEntity();
        if (sender.isEmpty()) {
            getContext().getLog().warn("ignoring {} from non-entity sender {}",
                    in.payload().getClass().getSimpleName(), in.from());
        } else if (in.payload() instanceof ComputeRequest request) {
            onComputeRequest(sender.get(), request);
        } else if (in.payload() instanceof TaskResult result) {
            onTaskResult(sender.get(), result);
        } else {
            getContext().getLog().debug("ignoring {} from {}", in.payload().getClass().getSimpleName(), in.from());
        }
        return this;
    }

    private void onComputeRequest(EntityAddress requester, ComputeRequest request) {
        String id = request.requestId();
        Job finished = recent.get(id);
        if (open.containsKey(id) || finished != null) {
            Job known = open.containsKey(id) ? open.get(id) : finished;
            if (!known.requester().equals(requester)) {
                getContext().getLog().warn("request id {} from {} already used by {}; ignored",
                        id, requester, known.requester());
            } else if (known.answer() != null) {
                answer(known.requester(), known.answer()); // idempotent retry of a finished request
            }
            return;
        }
        if (open.size() >= maxOpen) {
            getContext().getLog().warn("{} requests open; answering {} uncertified", maxOpen, id);
            answer(requester, new ComputeResult(id, false, Double.NaN, "", 0, 0, List.of()));
            return;
        }
        List<EntityAddress> assigned = new ArrayList<>(replicas);
        for (int i = 0; i < replicas; i++) {
            assigned.add(delegators.get((cursor + i) % delegators.size()));
        }
        cursor = (cursor + replicas) % delegators.size();
        open.put(id, new Job(requester, request, List.copyOf(assigned), QuorumTally.of(replicas, quorum), null));
        for (int i = 0; i < replicas; i++) {
            String taskId = id + "/" + i;
            logicContext.outbox().tell(new Intent(DISPATCH_PREFIX + taskId, DISPATCH_ACTION, assigned.get(i),
                    new TaskRequest(taskId, request.taskKind(), request.inputs(), request.fuelBudget())));
        }
    }

    private void onTaskResult(EntityAddress sender, TaskResult result) {
        Optional<Replica> replica = replicaOf(result.taskId());
        if (replica.isEmpty()) {
            getContext().getLog().debug("result {} for an unknown or finished request ignored", result.taskId());
            return;
        }
        Replica r = replica.get();
        if (!r.delegator().equals(sender)) {
            getContext().getLog().warn("result {} from {} but dispatched to {}; ignored",
                    result.taskId(), sender, r.delegator());
            return;
        }
        ComputeRequest request = r.job().request();
        // A digest is only a claim; recompute it so a delegator cannot vote for a value it did not report.
        boolean consistent = result.completed()
                && result.taskKind().equals(request.taskKind())
                && result.outputDigest().equals(
                        TaskRuntime.outputDigest(request.taskKind(), request.inputs(), result.value()));
        String who = sender.toString();
        QuorumTally tally = consistent
                ? r.job().tally().vote(who, result.outputDigest(), result.value())
                : r.job().tally().abstain(who);
        advance(r.requestId(), r.job().withTally(tally), who);
    }

    private Behavior<LogicInput> onOutcome(LogicInput.IntentOutcome outcome) {
        if (outcome.allowed()) {
            return this;
        }
        if (outcome.intentId().startsWith(DISPATCH_PREFIX)) {
            String taskId = outcome.intentId().substring(DISPATCH_PREFIX.length());
            getContext().getLog().warn("dispatch {} denied: {}", taskId, outcome.reason());
            replicaOf(taskId).ifPresent(r -> {
                String who = r.delegator().toString();
                advance(r.requestId(), r.job().withTally(r.job().tally().abstain(who)), who);
            });
        } else {
            getContext().getLog().warn("answer {} denied: {}", outcome.intentId(), outcome.reason());
        }
        return this;
    }

    /** Stores the updated job, answers once when the tally decides, and retires it when all have answered. */
    private void advance(String requestId, Job job, String lastAnswerer) {
        QuorumTally tally = job.tally();
        if (job.answer() == null) {
            Optional<QuorumTally.Certificate> cert = tally.certificate();
            if (cert.isPresent()) {
                job = job.withAnswer(new ComputeResult(requestId, true, cert.get().value(),
                        cert.get().outputDigest(), cert.get().agreeing().size(), replicas, tally.dissenters()));
                answer(job.requester(), job.answer());
            } else if (tally.allAnswered()) {
                job = job.withAnswer(new ComputeResult(requestId, false, Double.NaN, "",
                        tally.largestAgreement(), replicas, tally.dissenters()));
                answer(job.requester(), job.answer());
            }
        } else if (tally.dissenters().contains(lastAnswerer)) {
            // Already answered: the late dissent is kept for the record (and the log) but changes nothing.
            getContext().getLog().warn("late dissent on certified request {} from {}", requestId, lastAnswerer);
        }
        if (tally.allAnswered()) {
            open.remove(requestId);
            recent.put(requestId, job);
        } else {
            open.put(requestId, job);
        }
    }

    private void answer(EntityAddress requester, ComputeResult result) {
        String intentId = "result/" + result.requestId() + "/" + (++answers);
        logicContext.outbox().tell(new Intent(intentId, RESULT_ACTION, requester, result));
    }

    /** A task id resolved to its open job and the delegator it went to. */
    private record Replica(String requestId, Job job, EntityAddress delegator) {}

    private Optional<Replica> replicaOf(String taskId) {
        int slash = taskId.lastIndexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        String requestId = taskId.substring(0, slash);
        Job job = open.get(requestId);
        if (job == null) {
            return Optional.empty();
        }
        try {
            int index = Integer.parseInt(taskId.substring(slash + 1));
            if (index < 0 || index >= job.assigned().size()) {
                return Optional.empty();
            }
            return Optional.of(new Replica(requestId, job, job.assigned().get(index)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
