package org.nexusswarm.coordinator.rail;

import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.StatusReply;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.packs.Pack;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.packs.RailOptions;
import org.nexusswarm.packs.admission.PackAdmission;
import org.nexusswarm.safety.api.credential.RailSecret;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * The node's rail deployment service, behind {@code swarm rail deploy|undeploy|list|show} (HTTP) and
 * {@code swarm node --rail}: admits the pack, takes the instance's secret from the node keystore (creating it on
 * the first deployment), puts the pack's policy in force, stores the signed record in the cluster's
 * {@link RailDeploymentRegistry} and only then registers the rail on this node. Blocking edge code: call it from
 * the command line or a blocking dispatcher.
 */
public final class RailDeployments {

    /** A deployment this node made or joined. */
    public record Deployed(RailDeployment record, DeployedRail rail, boolean created) {}

    /** A refusal a caller maps to its own status: {@code conflict}, {@code not found}, {@code invalid}. */
    public static final class DeploymentRefused extends RuntimeException {
        public enum Kind { INVALID, CONFLICT, NOT_FOUND, PACK_REFUSED, FORBIDDEN }

        private final Kind kind;

        public DeploymentRefused(Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    private final ActorSystem<?> system;
    private final RailKeyring keyring;
    private final SwarmKeyPair bootstrapOperator;
    private final Duration timeout;
    private final ActorRef<RailHost.Command> host;

    public RailDeployments(ActorSystem<?> system, RailKeyring keyring, SwarmKeyPair bootstrapOperator,
            Duration timeout, ActorRef<RailHost.Command> host) {
        this.system = system;
        this.keyring = keyring;
        this.bootstrapOperator = bootstrapOperator;
        this.timeout = timeout;
        this.host = host;
    }

    /** The blueprint a record describes, through pack admission on this node (what {@link RailHost} uses). */
    public static RailHost.Blueprints blueprints(Config config) {
        return record -> {
            Pack pack = PackGate.admit(config, record.pack(), record.postQuantum(), new PrintWriter(
                    java.io.Writer.nullWriter()));
            return pack.rail(record.rail(), record.options());
        };
    }

    /**
     * Deploys {@code pack/rail} as {@code instance} (null: the rail's name) cluster-wide; refuses an instance that
     * is already deployed ({@link DeploymentRefused.Kind#CONFLICT}) unless {@code join}, when this node hosts the
     * deployed record instead (with its own copy of the secret).
     */
    public Deployed deploy(String packName, String railName, String instance, boolean postQuantum, boolean join,
            PrintWriter out) throws InterruptedException {
        String name = instance == null || instance.isBlank() ? railName : instance;
        Config config = system.settings().config();
        Pack pack;
        RailOptions options;
        RailBlueprint blueprint;
        try {
            pack = PackGate.admit(config, packName, postQuantum, out);
            options = RailOptions.from(config.getConfig("nexus.swarm.packs.rail-defaults")).withInstance(name);
            blueprint = pack.rail(railName, options);
        } catch (PackAdmission.PackRefusedException e) {
            throw new DeploymentRefused(DeploymentRefused.Kind.PACK_REFUSED, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new DeploymentRefused(DeploymentRefused.Kind.INVALID, e.getMessage());
        }
        Optional<RailDeployment> existing = find(name);
        if (existing.isPresent()) {
            if (!join || !existing.get().railPath().equals(packName + "/" + railName)) {
                throw new DeploymentRefused(DeploymentRefused.Kind.CONFLICT, "rail instance " + name + " is already "
                        + "deployed (" + existing.get().railPath() + "); undeploy it first or choose another --instance");
            }
            DeployedRail rail = keyring.host(SafetyRegistry.get(system), pack.rail(railName, existing.get().options()),
                    existing.get());
            host.tell(new RailHost.MarkHosted(existing.get()));
            return new Deployed(existing.get(), rail, false);
        }
        RailSecret secret = keyring.loadOrCreate(name).secret();
        try {
            long policyVersion;
            try {
                policyVersion = RailPolicies.install(system, bootstrapOperator, pack, blueprint, timeout)
                        .map(RailPolicies.Installed::version).orElse(0L);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("cannot put the policy of " + railName + " in force: " + e.getMessage(),
                        e);
            }
            RailDeployment record = RailDeployer.record(packName, railName, options, name, secret, postQuantum,
                    System.currentTimeMillis(), policyVersion);
            RailDeployment stored = await(RailDeploymentRegistry.ref(system).<StatusReply<RailDeployment>>ask(
                    replyTo -> new RailDeploymentRegistry.Deploy(record, replyTo), timeout)
                    .thenApply(StatusReply::getValue));
            // Registered here only once the record is stored: no node hosts a rail the cluster does not know.
            DeployedRail rail = RailDeployer.host(SafetyRegistry.get(system), blueprint, secret, stored);
            host.tell(new RailHost.MarkHosted(stored));
            return new Deployed(stored, rail, true);
        } finally {
            secret.destroy();
        }
    }

    /**
     * Removes {@code instance} from the registry, signed with the rail issuer key this node derives (a node without
     * the rail's secret cannot: {@link DeploymentRefused.Kind#FORBIDDEN}); answers the record removed.
     */
    public RailDeployment undeploy(String instance) throws InterruptedException {
        RailDeployment record = find(instance).orElseThrow(() -> new DeploymentRefused(
                DeploymentRefused.Kind.NOT_FOUND, "no rail instance " + instance + " is deployed"));
        RailSecret secret = keyring.secret(instance).orElseThrow(() -> new DeploymentRefused(
                DeploymentRefused.Kind.FORBIDDEN, "this node does not hold the secret of rail instance " + instance
                        + "; undeploy it through a node that hosts it"));
        try {
            var issuer = RailDeployer.check(secret, record);
            long at = System.currentTimeMillis();
            String signature = java.util.Base64.getEncoder().encodeToString(issuer.ed25519().sign(
                    RailDeploymentRegistry.undeployBytes(instance, record.issuerDid(), record.deployedAt(), at)));
            return await(RailDeploymentRegistry.ref(system).<StatusReply<RailDeployment>>ask(
                    replyTo -> new RailDeploymentRegistry.Undeploy(instance, record.deployedAt(), at, signature,
                            replyTo), timeout)
                    .thenApply(StatusReply::getValue));
        } catch (RailHostingRefused e) {
            throw new DeploymentRefused(DeploymentRefused.Kind.FORBIDDEN, e.getMessage());
        } finally {
            secret.destroy();
        }
    }

    public RailDeploymentRegistry.Deployments list() throws InterruptedException {
        return await(RailDeploymentRegistry.ref(system).ask(RailDeploymentRegistry.GetDeployments::new, timeout));
    }

    public Optional<RailDeployment> find(String instance) throws InterruptedException {
        return list().find(instance);
    }

    private <T> T await(java.util.concurrent.CompletionStage<T> answer) throws InterruptedException {
        try {
            return answer.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = String.valueOf(cause.getMessage());
            if (message.startsWith("conflict: ")) {
                throw new DeploymentRefused(DeploymentRefused.Kind.CONFLICT, message.substring(10));
            }
            if (message.startsWith("not found: ")) {
                throw new DeploymentRefused(DeploymentRefused.Kind.NOT_FOUND, message.substring(11));
            }
            if (message.startsWith("forbidden: ")) {
                throw new DeploymentRefused(DeploymentRefused.Kind.FORBIDDEN, message.substring(11));
            }
            if (message.startsWith("invalid: ")) {
                throw new DeploymentRefused(DeploymentRefused.Kind.INVALID, message.substring(9));
            }
            throw new IllegalStateException("the rail deployment registry failed: " + message, cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the rail deployment registry did not answer within "
                    + timeout.toSeconds() + " s (is the journal reachable?)");
        }
    }
}
