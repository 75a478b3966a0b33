package org.nexusswarm.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.coordinator.cli.SwarmCli;

/** {@code swarm bench-agents} end to end on the real Cassandra, small: every figure is there and plausible. */
class PopulationBenchIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void aSmallPopulationWakesAndEveryFigureIsReported() throws Exception {
        TestSwarm.config("it_population", java.util.Map.of());
        Path json = dir.resolve("pop.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwarmCli.execute(new String[] {"bench-agents", "--agents", "40", "--sample", "10", "--cassandra",
            TestSwarm.contactPoint(), "--keyspace", "it_population", "--json", json.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, out + "\n" + err);
        JsonNode rows = new ObjectMapper().readTree(json.toFile()).get("rows");
        assertEquals(9, rows.size(), rows.toString());
        assertEquals(40, rows.get(0).get("value").asInt());
        rows.forEach(r -> assertTrue(r.get("value").asDouble() > 0, r.toString()));
    }
}
