package org.nexusswarm.orchestrators;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.PayloadSchema;
import org.nexusswarm.actors.spi.Step;
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
 * <p>Caveats: state is the logic's own (the parent's journal is the durable record); a replica that never
 * answers keeps its request open, so at most {@code maxOpen} requests (default {@value #DEFAULT_MAX_OPEN}, formerly
 * {@code nexus.swarm.orchestrators.max-open-requests}: a logic reads no configuration) may be open and further
 * ones are answered uncertified at once. There are no timers: nothing here waits on time. Late dissent is tallied
 * but, with no logger in a logic, visible only in the journal of the answers' Observed results. A repeated request id from the same requester re-sends the earlier answer
 * while it is among the last {@value #RECENT_LIMIT} finished requests.
 */
public final class OrchestratorLogic implements AgentLogic<OrchestratorLogic.State> {

    public static final String VERSION = "orchestrator/1";
    public static final String DISPATCH_ACTION = "task.dispatch";
    public static final String RESULT_ACTION = "compute.result";
    public static final int DEFAULT_MAX_OPEN = 4096;
    static final int RECENT_LIMIT = 1024;
    private static final String DISPATCH_PREFIX = "dispatch/";

    /** One request in flight or recently finished. */
    public record Job(EntityAddress requester, ComputeRequest request, List<EntityAddress> assigned,
               QuorumTally tally, ComputeResult answer) {
        Job withTally(QuorumTally t) {
            return new Job(requester, request, assigned, t, answer);
        }

        Job withAnswer(ComputeResult a) {
            return new Job(requester, request, assigned, tally, a);
        }
    }

    /**
     * The orchestrator's state; immutable (a step works on copies).
     *
     * @param open        requests not yet answered by every replica
     * @param recent      finished requests, for idempotent retries
     * @param recentOrder the ids of {@code recent}, oldest first, at most {@value #RECENT_LIMIT}
     */
    public record State(Map<String, Job> open, Map<String, Job> recent, List<String> recentOrder, int cursor,
                        long answers) {
        public State {
            open = Map.copyOf(open);
            recent = Map.copyOf(recent);
            recentOrder = List.copyOf(recentOrder);
        }
    }

    private final List<EntityAddress> delegators;
    private final int replicas;
    private final int quorum;
    private final int maxOpen;

    private OrchestratorLogic(List<EntityAddress> delegators, int replicas, int quorum, int maxOpen) {
        this.delegators = delegators;
        this.replicas = replicas;
        this.quorum = quorum;
        this.maxOpen = maxOpen;
    }

    /**
     * An orchestrator over {@code delegators} that runs each request on {@code replicas} of them and
     * certifies an output backed by {@code quorum}; requires {@code 1 <= quorum <= replicas <= delegators}.
     */
    public static OrchestratorLogic logic(List<EntityAddress> delegators, int replicas, int quorum) {
        return logic(delegators, replicas, quorum, DEFAULT_MAX_OPEN);
    }

    /** As {@link #logic(List, int, int)}, with at most {@code maxOpen} open requests. */
    public static OrchestratorLogic logic(List<EntityAddress> delegators, int replicas, int quorum, int maxOpen) {
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
        if (maxOpen < 1) {
            throw new IllegalArgumentException("maxOpen must be positive, got " + maxOpen);
        }
        QuorumTally.of(replicas, quorum); // validates the quorum
        return new OrchestratorLogic(pool, replicas, quorum, maxOpen);
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public Set<Class<? extends SwarmMessage>> accepts() {
        return Set.of(ComputeRequest.class, TaskResult.class);
    }

    /** Task requests go to delegators as task.dispatch; certified results back to requesters as compute.result. */
    @Override
    public List<PayloadSchema> payloads() {
        return List.of(PayloadSchema.of(TaskRequest.class, DISPATCH_ACTION),
                PayloadSchema.of(ComputeResult.class, RESULT_ACTION));
    }

    @Override
    public State init(AgentContext context) {
        return new State(Map.of(), Map.of(), List.of(), 0, 0);
    }

    @Override
    public Step<State> step(State state, AgentInput input) {
        Work work = new Work(state);
        if (input instanceof AgentInput.Inbound in) {
            Optional<EntityAddress> sender = in.fromEntity();
            if (sender.isPresent() && in.payload() instanceof ComputeRequest request) {
                work.onComputeRequest(sender.get(), request);
            } else if (sender.isPresent() && in.payload() instanceof TaskResult result) {
                work.onTaskResult(sender.get(), result);
            }
        } else if (input instanceof AgentInput.Outcome outcome) {
            work.onOutcome(outcome);
        }
        return work.done();
    }

    /** One step's working copy of the state and the intents it makes; frozen into a new State at the end. */
    private final class Work {
        private final Map<String, Job> open;
        private final LinkedHashMap<String, Job> recent = new LinkedHashMap<>();
        private final List<Intent> intents = new ArrayList<>(2);
        private int cursor;
        private long answers;
        private final State before;
        private boolean changed;

        Work(State state) {
            this.before = state;
            this.open = new HashMap<>(state.open());
            for (String id : state.recentOrder()) {
                recent.put(id, state.recent().get(id));
            }
            this.cursor = state.cursor();
            this.answers = state.answers();
        }

        Step<State> done() {
            if (!changed) {
                return new Step<>(before, intents);
            }
            while (recent.size() > RECENT_LIMIT) {
                recent.remove(recent.keySet().iterator().next());
            }
            return new Step<>(new State(open, recent, new ArrayList<>(recent.keySet()), cursor, answers), intents);
        }

        void onComputeRequest(EntityAddress requester, ComputeRequest request) {
            String id = request.requestId();
            Job finished = recent.get(id);
            if (open.containsKey(id) || finished != null) {
                Job known = open.containsKey(id) ? open.get(id) : finished;
                if (known.requester().equals(requester) && known.answer() != null) {
                    answer(known.requester(), known.answer()); // idempotent retry of a finished request
                }
                // A request id already used by another requester is ignored.
                return;
            }
            if (open.size() >= maxOpen) {
                answer(requester, new ComputeResult(id, false, Double.NaN, "", 0, 0, List.of()));
                return;
            }
            List<EntityAddress> assigned = new ArrayList<>(replicas);
            for (int i = 0; i < replicas; i++) {
                assigned.add(delegators.get((cursor + i) % delegators.size()));
            }
            cursor = (cursor + replicas) % delegators.size();
            changed = true;
            open.put(id, new Job(requester, request, List.copyOf(assigned), QuorumTally.of(replicas, quorum), null));
            for (int i = 0; i < replicas; i++) {
                String taskId = id + "/" + i;
                intents.add(new Intent(DISPATCH_PREFIX + taskId, DISPATCH_ACTION, assigned.get(i),
                        new TaskRequest(taskId, request.taskKind(), request.inputs(), request.fuelBudget())));
            }
        }

        void onTaskResult(EntityAddress sender, TaskResult result) {
            Optional<Replica> replica = replicaOf(result.taskId());
            // Results for unknown or finished requests, or from a delegator the task did not go to, are ignored.
            if (replica.isEmpty() || !replica.get().delegator().equals(sender)) {
                return;
            }
            Replica r = replica.get();
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
            advance(r.requestId(), r.job().withTally(tally));
        }

        void onOutcome(AgentInput.Outcome outcome) {
            if (outcome.allowed() || !outcome.intentId().startsWith(DISPATCH_PREFIX)) {
                return; // a denied answer: nothing to retry, the requester's own supervisor journals it
            }
            String taskId = outcome.intentId().substring(DISPATCH_PREFIX.length());
            replicaOf(taskId).ifPresent(r -> {
                String who = r.delegator().toString();
                advance(r.requestId(), r.job().withTally(r.job().tally().abstain(who)));
            });
        }

        /** Stores the updated job, answers once when the tally decides, and retires it when all have answered. */
        private void advance(String requestId, Job job) {
            changed = true;
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
            }
            // Already answered: late dissent is kept in the tally for the record but changes nothing.
            if (tally.allAnswered()) {
                open.remove(requestId);
                recent.remove(requestId);
                recent.put(requestId, job);
            } else {
                open.put(requestId, job);
            }
        }

        private void answer(EntityAddress requester, ComputeResult result) {
            changed = true;
            String intentId = "result/" + result.requestId() + "/" + (++answers);
            intents.add(new Intent(intentId, RESULT_ACTION, requester, result));
        }

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

    /** A task id resolved to its open job and the delegator it went to. */
    private record Replica(String requestId, Job job, EntityAddress delegator) {}
}
