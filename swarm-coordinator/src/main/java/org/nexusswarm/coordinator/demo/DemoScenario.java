package org.nexusswarm.coordinator.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.GetStatus;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.coordinator.node.SwarmNode;
import org.nexusswarm.coordinator.rail.DeployedRail;
import org.nexusswarm.coordinator.rail.RailDeployer;
import org.nexusswarm.coordinator.rail.SignalFeed;
import org.nexusswarm.packs.EntityBlueprint;
import org.nexusswarm.packs.Pack;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.packs.RailOptions;
import org.nexusswarm.packs.Signal;

/**
 * The demo: deploys one rail from a pack onto a running node, wakes every entity, feeds rounds of signed
 * sensor readings, shows the safety layer refusing forged and unknown senders, lets the rogue agent get
 * denied, killed and quarantined, then reads every journal back from Cassandra and reports what happened.
 *
 * <p>Blocking edge code: it waits on asks with timeouts from the main thread, never inside an actor.
 */
public final class DemoScenario {

    /** What to run. */
    public record Options(String pack, String rail, RailOptions railOptions, int rounds, Duration settleTimeout) {
        public static Options defaults() {
            return new Options("climate", "drought-watch", RailOptions.defaults(), 3, Duration.ofSeconds(120));
        }
    }

    private static final String READ_JOURNAL = "pekko.persistence.cassandra.query";

    private final SwarmNode node;
    private final Options options;
    private final PrintWriter out;
    private final String readJournalPluginId;

    public DemoScenario(SwarmNode node, Options options, PrintWriter out) {
        this(node, options, out, READ_JOURNAL);
    }

    public DemoScenario(SwarmNode node, Options options, PrintWriter out, String readJournalPluginId) {
        this.node = node;
        this.options = options;
        this.out = out;
        this.readJournalPluginId = readJournalPluginId;
    }

    public DemoReport run() throws Exception {
        // Pack admission (signed manifest, bytecode check) before anything of the pack runs.
        Pack pack = org.nexusswarm.coordinator.rail.PackGate.admit(node.system().settings().config(), options.pack(),
                false, out);
        RailBlueprint blueprint = pack.rail(options.rail(), options.railOptions());
        DeployedRail rail = RailDeployer.deploy(node.registry(), blueprint);
        out.printf("Deployed rail '%s' from pack '%s' as instance '%s': %s%n", blueprint.name(), pack.name(),
                options.railOptions().instance() == null ? blueprint.name() : options.railOptions().instance(),
                describe(rail.countByKind()));

        var policy = org.nexusswarm.coordinator.rail.RailPolicies.install(node.system(), node.bootstrapOperator(), pack,
                blueprint, options.settleTimeout());
        out.println(policy.map(p -> "Policy " + p.scope() + "@" + p.version() + " in force ("
                + (p.changed() ? "journaled as a signed change by the node's bootstrap operator" : "already journaled")
                + ")").orElse("No policy shipped for this rail: every action will be denied (fail closed)"));

        Map<EntityKind, Integer> started = wakeAll(rail);
        out.printf("Started %d supervised entities (%s)%n", started.values().stream().mapToInt(i -> i).sum(),
                describe(started));

        int accepted = 0;
        int refused = 0;
        for (int round = 1; round <= options.rounds(); round++) {
            List<DeliveryReply> replies = await(rail.blueprint().signals().round(round).stream()
                    .map(s -> send(rail.feed(), s.target(), s.payload())).toList());
            long ok = replies.stream().filter(r -> r instanceof DeliveryReply.Accepted).count();
            accepted += (int) ok;
            refused += replies.size() - (int) ok;
            out.printf("  round %d/%d: %d readings signed and delivered, %d accepted, %d refused%n",
                    round, options.rounds(), replies.size(), ok, replies.size() - ok);
        }

        Signal probe = rail.blueprint().signals().round(1).get(0);
        RefusalCode forged = refusalOf(sendEnvelope(probe.target(), tamper(rail.feed().envelope(probe.target(), probe.payload()))));
        RefusalCode unknown = refusalOf(send(new SignalFeed(rail.feed().name(), Ed25519.generate()), probe.target(), probe.payload()));
        out.printf("  forged signature -> %s; unknown sender -> %s%n", forged, unknown);

        settle(rail);

        List<EntityStatus> statuses = await(rail.addresses().stream().map(this::status).toList());
        List<String> quarantined = statuses.stream().filter(EntityStatus::quarantined)
                .map(s -> s.address().toString()).toList();
        RefusalCode quarantinedRefusal = null;
        for (EntityBlueprint rogue : rogues(blueprint)) {
            EntityStatus s = statuses.stream().filter(st -> st.address().equals(rogue.address())).findFirst().orElseThrow();
            out.printf("Rogue %s: %d intents denied, %s%n", rogue.address(), s.denials(),
                    s.quarantined() ? "killed and quarantined (" + s.reason() + ")" : "still active");
            if (s.quarantined()) {
                quarantinedRefusal = refusalOf(send(rail.feed(), rogue.address(), probe.payload()));
                out.printf("  a new reading to the quarantined rogue -> %s%n", quarantinedRefusal);
            }
        }

        JournalCensus.Result census = JournalCensus.take(node.system(), readJournalPluginId, rail.addresses(),
                options.settleTimeout());
        String instance = options.railOptions().instance() == null ? blueprint.name()
                : options.railOptions().instance();
        return new DemoReport(instance, started, accepted, refused, forged, unknown, quarantinedRefusal, quarantined,
                census.byType(), census.journals(), census.brokenChains(),
                census.allowedByAction().getOrDefault("alert.raise", 0L),
                census.allowedByAction().getOrDefault("compute.result", 0L));
    }

    private Map<EntityKind, Integer> wakeAll(DeployedRail rail) throws Exception {
        List<EntityStatus> statuses = await(rail.addresses().stream().map(this::status).toList());
        return statuses.stream().collect(Collectors.groupingBy(s -> s.address().kind(),
                () -> new java.util.TreeMap<>(), Collectors.summingInt(s -> 1)));
    }

    /** Waits until no entity journals anything new for a while: the compute flows have finished. */
    private void settle(DeployedRail rail) throws Exception {
        long deadline = System.nanoTime() + options.settleTimeout().toNanos();
        long previous = -1;
        int stableRounds = 0;
        long lastPrint = 0;
        while (stableRounds < 3) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the swarm did not settle within " + options.settleTimeout().toSeconds() + " s");
            }
            long total = await(rail.addresses().stream().map(this::status).toList()).stream()
                    .mapToLong(EntityStatus::lastSequence).sum();
            stableRounds = total == previous ? stableRounds + 1 : 0;
            previous = total;
            if (System.currentTimeMillis() - lastPrint > 1000) {
                out.printf("  settling: %d events journaled so far%n", total);
                lastPrint = System.currentTimeMillis();
            }
            Thread.sleep(300);
        }
    }

    private static List<EntityBlueprint> rogues(RailBlueprint blueprint) {
        return blueprint.entities().stream().filter(e -> e.role().equals("rogue-agent")).toList();
    }

    private CompletableFuture<EntityStatus> status(EntityAddress address) {
        return node.<EntityStatus>ask(address, GetStatus::new).toCompletableFuture();
    }

    private CompletableFuture<DeliveryReply> send(SignalFeed feed, EntityAddress target, SwarmMessage payload) {
        return sendEnvelope(target, feed.envelope(target, payload));
    }

    private CompletableFuture<DeliveryReply> sendEnvelope(EntityAddress target, SignedEnvelope envelope) {
        return node.<DeliveryReply>ask(target, replyTo -> new Deliver(envelope, replyTo)).toCompletableFuture();
    }

    private static SignedEnvelope tamper(SignedEnvelope envelope) {
        byte[] signature = envelope.signature();
        signature[0] ^= 0x01;
        return envelope.withSignature(signature);
    }

    private RefusalCode refusalOf(CompletableFuture<DeliveryReply> reply) throws Exception {
        DeliveryReply r = reply.get(node.askTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return r instanceof DeliveryReply.Refused refused ? refused.code() : null;
    }

    private <T> List<T> await(List<CompletableFuture<T>> futures) throws Exception {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .get(node.askTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        List<T> results = new ArrayList<>(futures.size());
        futures.forEach(f -> results.add(f.join()));
        return results;
    }

    public static String describe(Map<EntityKind, Integer> counts) {
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().label()
                + (e.getValue() == 1 ? "" : "s")).collect(Collectors.joining(", "));
    }
}
