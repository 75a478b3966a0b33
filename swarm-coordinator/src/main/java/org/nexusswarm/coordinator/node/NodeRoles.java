package org.nexusswarm.coordinator.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.nexusswarm.actors.entity.EntityKind;

/**
 * A node's roles: which entity kinds it hosts ({@code pekko.cluster.roles}, one role per kind, see
 * {@link EntityKind#role()}). A node given no roles carries all of them, so a one-node swarm needs no flag; and
 * {@link #missing} says which deployed kinds no Up member can host.
 */
public final class NodeRoles {

    public static final String ROLES_KEY = "pekko.cluster.roles";

    private NodeRoles() {}

    /** Every kind's role, in kind order. */
    public static List<String> all() {
        return Arrays.stream(EntityKind.values()).map(EntityKind::role).toList();
    }

    /**
     * Parses {@code --roles agents,delegators}: each a kind's role, none twice.
     *
     * @throws IllegalArgumentException naming the unknown role and the known ones
     */
    public static List<String> parse(Collection<String> roles) {
        Set<String> parsed = new LinkedHashSet<>();
        for (String r : roles) {
            String role = r.trim();
            if (EntityKind.forRole(role).isEmpty()) {
                throw new IllegalArgumentException("unknown role '" + role + "' (expected any of " + String.join(", ",
                        all()) + ")");
            }
            parsed.add(role);
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("--roles needs at least one of " + String.join(", ", all()));
        }
        return List.copyOf(parsed);
    }

    /** {@code config} with {@code roles}, or with every role when none are configured. */
    public static Config withRoles(Config config, List<String> roles) {
        List<String> effective = roles.isEmpty() ? all() : roles;
        return config.withValue(ROLES_KEY, ConfigValueFactory.fromIterable(effective));
    }

    /** {@code config} as is if it names roles, else with every role. */
    public static Config withDefaults(Config config) {
        return config.getStringList(ROLES_KEY).isEmpty() ? withRoles(config, List.of()) : config;
    }

    /** The deployed kinds whose role no Up member has, in kind order. */
    public static List<EntityKind> missing(Set<EntityKind> deployed, Collection<Set<String>> upMemberRoles) {
        Set<String> present = upMemberRoles.stream().flatMap(Set::stream).collect(Collectors.toSet());
        List<EntityKind> missing = new ArrayList<>();
        for (EntityKind kind : EntityKind.values()) {
            if (deployed.contains(kind) && !present.contains(kind.role())) {
                missing.add(kind);
            }
        }
        return missing;
    }

    /** One plain sentence for {@link #missing}, e.g. for a log line or the node's start-up output. */
    public static String describeMissing(List<EntityKind> missing) {
        Set<String> roles = new TreeSet<>();
        missing.forEach(k -> roles.add(k.role()));
        return "no Up member of the cluster has role " + String.join(", ", roles) + ": the deployed "
                + missing.stream().map(EntityKind::label).collect(Collectors.joining(", "))
                + " entities cannot run until a node started with --roles " + String.join(",", roles) + " joins";
    }
}
