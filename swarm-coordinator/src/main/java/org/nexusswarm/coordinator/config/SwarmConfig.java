package org.nexusswarm.coordinator.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;

/**
 * Loads the layered HOCON configuration: command-line overrides, then {@code -D} system properties, then
 * the profile from cluster-config ({@code nexus/profiles/<name>.conf}, which reads its environment
 * variables), then {@code application.conf}, then every module's {@code reference.conf}.
 */
public final class SwarmConfig {

    public static final List<String> PROFILES = List.of("dev", "local-cluster", "production");

    private SwarmConfig() {}

    /** The profile named by the flag, else {@code -Dnexus.swarm.profile}, else NEXUS_PROFILE, else dev. */
    public static String chooseProfile(String flag) {
        if (flag != null && !flag.isBlank()) {
            return flag;
        }
        String prop = System.getProperty("nexus.swarm.profile");
        if (prop != null && !prop.isBlank()) {
            return prop;
        }
        String env = System.getenv("NEXUS_PROFILE");
        return env != null && !env.isBlank() ? env : "dev";
    }

    /**
     * Loads the configuration for {@code profile} with {@code overrides} (HOCON paths to values) on top.
     *
     * @throws IllegalArgumentException for an unknown profile or a configuration that does not parse/resolve
     */
    public static Config load(String profile, Map<String, ?> overrides) {
        if (!PROFILES.contains(profile)) {
            throw new IllegalArgumentException("unknown profile '" + profile + "' (choose one of " + PROFILES + ")");
        }
        try {
            Config profileConfig = ConfigFactory.parseResourcesAnySyntax("nexus/profiles/" + profile + ".conf");
            return ConfigFactory.parseMap(overrides, "command-line flags")
                    .withFallback(ConfigFactory.systemProperties())
                    .withFallback(profileConfig)
                    .withFallback(ConfigFactory.parseResourcesAnySyntax("application"))
                    .withFallback(ConfigFactory.defaultReference())
                    .resolve()
                    .withValue("nexus.swarm.profile", com.typesafe.config.ConfigValueFactory.fromAnyRef(profile));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("configuration error: " + e.getMessage(), e);
        }
    }
}
