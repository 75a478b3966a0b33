package org.nexusswarm.coordinator.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.GetStatus;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Step;
import org.nexusswarm.coordinator.node.SwarmNode;
import org.nexusswarm.safety.api.credential.Credential;
import org.nexusswarm.safety.api.credential.IssuerKeys;
import org.nexusswarm.safety.api.registry.EntitySpec;

/**
 * How many live supervised agents a node holds: deploys N agents, wakes every one (supervisor recovery from the
 * journal, credential check, logic child started, a {@code Started} event journaled), and measures the wake
 * latency and the heap the live population takes. Then the same agents are woken on a fresh node from their
 * journals: the cost of waking an agent after passivation or a restart.
 */
public final class PopulationBenchmark {

    /** The figures of one run. */
    public record Result(int agents, double deploySeconds, double wakeSeconds, Histogram coldWakeMicros,
            long heapBytesBefore, long heapBytesAfter, int sample, Histogram rewakeMicros, long maxHeapBytes) {
        public double heapPerAgentBytes() {
            return (heapBytesAfter - heapBytesBefore) / (double) agents;
        }
    }

    private final List<EntitySpec> specs = new ArrayList<>();
    private org.nexusswarm.actors.identity.Did issuerDid;
    private final int inFlight;
    private final PrintWriter out;

    public PopulationBenchmark(int inFlight, PrintWriter out) {
        this.inFlight = inFlight;
        this.out = out;
    }

    /** Deploys {@code agents} agents on {@code node} and wakes them all; the heap figures are after a full GC. */
    public Result wakeAll(SwarmNode node, int agents) throws Exception {
        IssuerKeys issuer = IssuerKeys.generate(false);
        issuerDid = issuer.did();
        node.registry().trustIssuer(issuerDid);
        String run = Long.toString(System.currentTimeMillis(), 36);
        long heapBefore = usedHeapAfterGc();
        long t0 = System.nanoTime();
        long now = System.currentTimeMillis();
        for (int i = 0; i < agents; i++) {
            EntityAddress address = EntityAddress.of(EntityKind.AGENT, "pop-" + run + "." + i);
            var keys = Ed25519.generate();
            Credential credential = Credential.issue(issuer, address.id(), keys.did(), List.of("pop.act"), List.of("*"),
                    Credential.Limits.UNLIMITED, now - 60_000, now + 3_600_000);
            specs.add(new EntitySpec(address, "pop-cell", "pop", "bench", keys, credential, new Idle()));
        }
        node.registry().deployAll(specs);
        double deploySeconds = (System.nanoTime() - t0) / 1e9;
        out.printf("    deployed %,d agents in %.1f s; waking every one (%d in flight) ...%n", agents, deploySeconds,
                inFlight);
        out.flush();
        ConcurrentHistogram cold = new ConcurrentHistogram(3);
        long w0 = System.nanoTime();
        wake(node, specs, cold, true);
        double wakeSeconds = (System.nanoTime() - w0) / 1e9;
        long heapAfter = usedHeapAfterGc();
        return new Result(agents, deploySeconds, wakeSeconds, cold, heapBefore, heapAfter, 0, null,
                Runtime.getRuntime().maxMemory());
    }

    /** Wakes {@code sample} of the deployed agents on {@code fresh} (another node on the same journals). */
    public Histogram rewake(SwarmNode fresh, Result first, int sample) throws Exception {
        List<EntitySpec> some = specs.subList(0, Math.min(sample, specs.size()));
        fresh.registry().trustIssuer(issuerDid);
        fresh.registry().deployAll(some);
        ConcurrentHistogram h = new ConcurrentHistogram(3);
        wake(fresh, some, h, false);
        return h;
    }

    private void wake(SwarmNode node, List<EntitySpec> which, ConcurrentHistogram latency, boolean progress)
            throws Exception {
        Semaphore window = new Semaphore(inFlight);
        AtomicLong failed = new AtomicLong();
        AtomicLong done = new AtomicLong();
        List<CompletableFuture<EntityStatus>> all = new ArrayList<>(which.size());
        long step = Math.max(1, which.size() / 10);
        for (EntitySpec spec : which) {
            window.acquire();
            long sent = System.nanoTime();
            CompletableFuture<EntityStatus> f = node.<EntityStatus>ask(spec.address(), GetStatus::new)
                    .toCompletableFuture();
            all.add(f.whenComplete((status, e) -> {
                window.release();
                if (e != null || status == null || status.quarantined()) {
                    failed.incrementAndGet();
                } else {
                    latency.recordValue((System.nanoTime() - sent) / 1000);
                }
                long d = done.incrementAndGet();
                if (progress && d % step == 0) {
                    out.printf("      %,d / %,d awake%n", d, which.size());
                    out.flush();
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + which.size() + " agents did not wake healthy");
        }
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** An agent that only exists: what a node pays per live agent, before any logic state of its own. */
    private record Idle() implements AgentLogic<Long> {
        @Override
        public String version() {
            return "pop-idle/1";
        }

        @Override
        public Long init(AgentContext context) {
            return 0L;
        }

        @Override
        public Step<Long> step(Long state, AgentInput input) {
            return Step.of(state);
        }
    }
}
