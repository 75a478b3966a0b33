package org.nexusswarm.safety.internal.policy;

import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.policy.PolicyParseException;
import org.nexusswarm.safety.api.policy.PolicyParser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each node's view of the current policies, for lock-free reads on the supervisors' hot path.
 *
 * <p>A Pekko extension holding an immutable map scope → {@link Policy}, replaced atomically. On a cluster it
 * is fed by Distributed Data: an {@code LWWMap<String, String>} (key {@code nexus-policies}, scope → policy
 * text) whose last-writer clock is the policy version, so a higher version always wins the merge, written
 * only by the {@link PolicyStore} after it journaled the change. Each node parses what it receives; a
 * replicated version never goes backwards, and a text that does not parse is ignored (logged) — the
 * previous version stays, or, if there was none, the scope has no policy and the engine fails closed.
 *
 * <p>{@link #loadLocal} installs a policy on this node only (boot from files, tests); it is superseded by a
 * replicated policy of the same scope with an equal or higher version. Without a cluster provider the
 * registry is purely local.
 */
public final class PolicyRegistry implements Extension {

    public static final ExtensionId<PolicyRegistry> ID = new ExtensionId<>() {
        @Override
        public PolicyRegistry createExtension(ActorSystem<?> system) {
            return new PolicyRegistry(system);
        }
    };

    static final Key<LWWMap<String, String>> KEY = LWWMapKey.create("nexus-policies");
    /** A majority write fails only slowly; the value is still written locally and spreads by gossip. */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(PolicyRegistry.class);

    private final AtomicReference<Map<String, Policy>> replicated = new AtomicReference<>(Map.of());
    private final AtomicReference<Map<String, Policy>> local = new AtomicReference<>(Map.of());
    /** Null when the system is not a cluster member. */
    private final ActorRef<Publisher> publisher;

    private PolicyRegistry(ActorSystem<?> system) {
        String provider = system.settings().config().getString("pekko.actor.provider");
        boolean clustered = "cluster".equals(provider) || provider.endsWith(".ClusterActorRefProvider");
        this.publisher = clustered ? system.systemActorOf(replicatorBridge(this), "nexus-policy-registry",
                Props.empty()) : null;
    }

    public static PolicyRegistry get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    /**
     * The policies that apply to an entity of {@code rail} and {@code pack}: the rail's, then the pack's,
     * whichever exist. Empty when neither does (the engine then denies {@code POLICY_MISSING}).
     */
    public List<Policy> applicable(String rail, String pack) {
        List<Policy> out = new ArrayList<>(2);
        if (rail != null) {
            current(Policy.railScope(rail)).ifPresent(out::add);
        }
        if (pack != null) {
            current(Policy.packScope(pack)).ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    /** The current policy of {@code scope} ({@code rail:<name>} or {@code pack:<name>}). */
    public Optional<Policy> current(String scope) {
        Policy r = replicated.get().get(scope);
        Policy l = local.get().get(scope);
        if (r == null || (l != null && l.version() > r.version())) {
            return Optional.ofNullable(l);
        }
        return Optional.of(r);
    }

    /** Every current policy by scope, sorted. */
    public Map<String, Policy> all() {
        Map<String, Policy> out = new TreeMap<>();
        for (String scope : local.get().keySet()) {
            current(scope).ifPresent(p -> out.put(scope, p));
        }
        for (String scope : replicated.get().keySet()) {
            current(scope).ifPresent(p -> out.put(scope, p));
        }
        return out;
    }

    /** Installs {@code policy} on this node only, replacing an earlier local one of its scope. */
    public void loadLocal(Policy policy) {
        local.updateAndGet(m -> with(m, policy));
    }

    /** Called by the {@link PolicyStore} after it journaled {@code policy}: visible here at once, then everywhere. */
    void publish(Policy policy) {
        replicated.updateAndGet(m -> newer(m, policy));
        if (publisher != null) {
            publisher.tell(new Publish(policy.scope(), policy.text(), policy.version()));
        }
    }

    /** Applies what Distributed Data holds (scope → text); runs on the bridge actor. */
    private void onReplicated(Map<String, String> texts) {
        texts.forEach((scope, text) -> {
            Policy known = replicated.get().get(scope);
            if (known != null && known.text().equals(text)) {
                return;
            }
            try {
                Policy policy = PolicyParser.parse(text);
                if (!policy.scope().equals(scope)) {
                    LOG.error("replicated policy under {} declares scope {}; ignored", scope, policy.scope());
                    return;
                }
                replicated.updateAndGet(m -> newer(m, policy));
            } catch (PolicyParseException e) {
                LOG.error("replicated policy for {} does not parse on this node and is ignored: {}", scope,
                        e.getMessage());
            }
        });
    }

    private static Map<String, Policy> newer(Map<String, Policy> map, Policy policy) {
        Policy known = map.get(policy.scope());
        if (known != null && known.version() >= policy.version()) {
            if (known.version() == policy.version() && !known.sha256().equals(policy.sha256())) {
                LOG.error("two different texts for {}; keeping the first seen", policy.versionTag());
            }
            return map;
        }
        return with(map, policy);
    }

    private static Map<String, Policy> with(Map<String, Policy> map, Policy policy) {
        Map<String, Policy> copy = new HashMap<>(map);
        copy.put(policy.scope(), policy);
        return Map.copyOf(copy);
    }

    /** Messages of the node-local bridge between this registry and the replicator (never sent remotely). */
    private interface Publisher extends NoSerializationVerificationNeeded {}

    private record Publish(String scope, String text, long version) implements Publisher {}

    private record Replicated(Replicator.SubscribeResponse<LWWMap<String, String>> response) implements Publisher {}

    private record Written(String scope, long version, Replicator.UpdateResponse<LWWMap<String, String>> response)
            implements Publisher {}

    private static Behavior<Publisher> replicatorBridge(PolicyRegistry registry) {
        return Behaviors.setup(ctx -> DistributedData.<Publisher, LWWMap<String, String>>withReplicatorMessageAdapter(
                adapter -> bridge(registry, adapter, DistributedData.get(ctx.getSystem()).selfUniqueAddress())));
    }

    private static Behavior<Publisher> bridge(PolicyRegistry registry,
            ReplicatorMessageAdapter<Publisher, LWWMap<String, String>> adapter, SelfUniqueAddress node) {
        adapter.subscribe(KEY, Replicated::new);
        return Behaviors.receive(Publisher.class)
                .onMessage(Publish.class, p -> {
                    adapter.askUpdate(replyTo -> new Replicator.Update<>(KEY, LWWMap.empty(),
                            new Replicator.WriteMajority(WRITE_TIMEOUT), replyTo, map -> put(map, node, p)),
                            response -> new Written(p.scope(), p.version(), response));
                    return Behaviors.same();
                })
                .onMessage(Replicated.class, r -> {
                    if (r.response() instanceof Replicator.Changed<LWWMap<String, String>> changed) {
                        registry.onReplicated(changed.get(KEY).getEntries());
                    }
                    return Behaviors.same();
                })
                .onMessage(Written.class, w -> {
                    if (!(w.response() instanceof Replicator.UpdateSuccess)) {
                        LOG.warn("policy {}@{} not yet confirmed by a majority ({}); it spreads by gossip",
                                w.scope(), w.version(), w.response().getClass().getSimpleName());
                    }
                    return Behaviors.same();
                })
                .build();
    }

    /** Writes {@code p} unless the map already holds that version or a later one; the version is the LWW clock. */
    private static LWWMap<String, String> put(LWWMap<String, String> map, SelfUniqueAddress node, Publish p) {
        scala.Option<LWWRegister<String>> existing = map.underlying().get(p.scope());
        if (existing.isDefined() && existing.get().timestamp() >= p.version()) {
            return map;
        }
        long version = p.version();
        LWWRegister.Clock<String> clock = (current, value) -> version;
        return map.put(node, p.scope(), p.text(), clock);
    }
}
