package org.nexusswarm.coordinator.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.coordinator.cli.ExitCodes;
import org.nexusswarm.coordinator.cli.SwarmCli;
import org.nexusswarm.coordinator.config.SwarmConfig;

/** Roles: what {@code --roles} accepts, that no roles means all, and which deployed kinds lack a member. */
class NodeRolesTest {

    @Test
    void eachKindHasItsOwnRole() {
        assertEquals(List.of("nodes", "agents", "delegators", "orchestrators"), NodeRoles.all());
        for (EntityKind kind : EntityKind.values()) {
            assertEquals(kind, EntityKind.forRole(kind.role()).orElseThrow());
        }
        assertTrue(EntityKind.forRole("agent").isEmpty(), "the singular is a label, not a role");
    }

    @Test
    void rolesAreParsedAndCheckedAgainstTheKinds() {
        assertEquals(List.of("agents", "delegators"), NodeRoles.parse(List.of("agents", " delegators", "agents")));
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> NodeRoles.parse(List.of("agents", "agent")));
        assertTrue(typo.getMessage().contains("unknown role 'agent'")
                && typo.getMessage().contains("agents, delegators, orchestrators"), typo.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NodeRoles.parse(List.of()));
    }

    @Test
    void aNodeGivenNoRolesCarriesAllAndGivenRolesOnlyThose() {
        var config = SwarmConfig.load("dev", Map.of());
        assertEquals(NodeRoles.all(), NodeRoles.withDefaults(config).getStringList(NodeRoles.ROLES_KEY));
        var agentsOnly = NodeRoles.withRoles(config, List.of("agents"));
        assertEquals(List.of("agents"), NodeRoles.withDefaults(agentsOnly).getStringList(NodeRoles.ROLES_KEY));
        assertTrue(config.getBoolean("nexus.swarm.safety.sharding.by-role"), "the swarm shards by role");
    }

    @Test
    void aDeployedKindWithoutAnUpMemberOfItsRoleIsNamed() {
        Set<EntityKind> deployed = EnumSet.of(EntityKind.AGENT, EntityKind.DELEGATOR, EntityKind.ORCHESTRATOR);
        List<EntityKind> missing = NodeRoles.missing(deployed, List.of(Set.of("agents", "dc-default"), Set.of("nodes")));
        assertEquals(List.of(EntityKind.DELEGATOR, EntityKind.ORCHESTRATOR), missing);
        String said = NodeRoles.describeMissing(missing);
        assertTrue(said.contains("role delegators, orchestrators") && said.contains("--roles delegators,orchestrators"),
                said);
        // A kind nobody deployed needs nobody; a cluster with every role misses nothing.
        assertTrue(NodeRoles.missing(EnumSet.of(EntityKind.AGENT), List.of(Set.of("agents"))).isEmpty());
        assertTrue(NodeRoles.missing(deployed, List.of(Set.copyOf(NodeRoles.all()))).isEmpty());
        assertEquals(List.of(EntityKind.AGENT), NodeRoles.missing(deployed, List.of()).subList(0, 1));
    }

    @Test
    void anUnknownRoleOnTheCommandLineIsAUsageErrorBeforeAnythingStarts() {
        StringWriter err = new StringWriter();
        int code = SwarmCli.execute(new String[] {"node", "--roles", "agents,robots", "--cassandra", "127.0.0.1:1"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(ExitCodes.USAGE, code, err.toString());
        assertTrue(err.toString().contains("--roles: unknown role 'robots'"), err.toString());
        assertFalse(err.toString().contains("\tat "), err.toString());
    }
}
