package org.nexusswarm.packs;

/**
 * The size and shape of a rail to build.
 *
 * @param agents      agents, rogue ones included
 * @param delegators  proof delegators
 * @param rogueAgents how many of the agents (the last ones) misbehave, for demos of the safety layer
 * @param replicas    delegators each computation runs on
 * @param quorum      matching results needed to certify one
 * @param seed        seed of everything random in the rail (places, signals)
 * @param instance    prefix of the entity ids, so one swarm can host several instances of a rail side by side
 *                    (null = the rail's name); each demo run deploys a fresh instance
 */
public record RailOptions(int agents, int delegators, int rogueAgents, int replicas, int quorum, long seed,
        String instance) {

    /** Options for the rail's default instance (entity ids prefixed with the rail name). */
    public RailOptions(int agents, int delegators, int rogueAgents, int replicas, int quorum, long seed) {
        this(agents, delegators, rogueAgents, replicas, quorum, seed, null);
    }

    public RailOptions {
        if (agents < 1) {
            throw new IllegalArgumentException("agents must be >= 1, got " + agents);
        }
        if (rogueAgents < 0 || rogueAgents > agents) {
            throw new IllegalArgumentException("rogueAgents must be in [0, " + agents + "], got " + rogueAgents);
        }
        if (delegators < 1) {
            throw new IllegalArgumentException("delegators must be >= 1, got " + delegators);
        }
        if (instance != null && !instance.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("instance must be 1-64 letters, digits, '.', '_' or '-', got '"
                    + instance + "'");
        }
        if (quorum < 1 || quorum > replicas || replicas > delegators) {
            throw new IllegalArgumentException("need 1 <= quorum <= replicas <= delegators, got quorum " + quorum
                    + ", replicas " + replicas + ", delegators " + delegators);
        }
    }

    /** 100 agents (1 rogue), 3 delegators, 3 replicas with a quorum of 2, seed 42. */
    public static RailOptions defaults() {
        return new RailOptions(100, 3, 1, 3, 2, 42L);
    }

    /** Reads a {@code rail-defaults} block, e.g. {@code nexus.swarm.packs.rail-defaults} from reference.conf. */
    public static RailOptions from(com.typesafe.config.Config c) {
        return new RailOptions(c.getInt("agents"), c.getInt("delegators"), c.getInt("rogue-agents"),
                c.getInt("replicas"), c.getInt("quorum"), c.getLong("seed"));
    }

    public RailOptions withAgents(int n, int rogue) {
        return new RailOptions(n, delegators, rogue, replicas, quorum, seed, instance);
    }

    public RailOptions withSeed(long newSeed) {
        return new RailOptions(agents, delegators, rogueAgents, replicas, quorum, newSeed, instance);
    }

    /** The same options for another instance of the rail (entity ids prefixed with {@code name}). */
    public RailOptions withInstance(String name) {
        return new RailOptions(agents, delegators, rogueAgents, replicas, quorum, seed, name);
    }
}
