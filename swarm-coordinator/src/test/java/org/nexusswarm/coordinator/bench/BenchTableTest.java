package org.nexusswarm.coordinator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's table is what scripts read: a ratio line a regex finds, and the same figures as JSON. */
class BenchTableTest {

    @TempDir
    Path dir;

    @Test
    void aScriptFindsTheRatioLineAndTheJsonHoldsTheSameFigures() throws Exception {
        BenchTable table = new BenchTable().note("cores", 2)
                .add("plain event sourcing, same events", 4321.5, "per s")
                .add("journaled supervised / plain", 0.7349, "x", ">= 0.7");
        StringWriter text = new StringWriter();
        table.print(new PrintWriter(text, true));
        Matcher m = Pattern.compile("journaled supervised / plain\\s+([0-9.]+) x").matcher(text.toString());
        assertTrue(m.find(), text.toString());
        assertEquals("0.73", m.group(1));
        assertTrue(text.toString().contains("4322 per s"), text.toString());

        Path file = dir.resolve("runs/bench.json");
        table.writeJson(file);
        JsonNode doc = new ObjectMapper().readTree(file.toFile());
        assertEquals(2, doc.get("context").get("cores").asInt());
        assertEquals(2, doc.get("rows").size());
        JsonNode ratio = doc.get("rows").get(1);
        assertEquals("journaled supervised / plain", ratio.get("name").asText());
        assertEquals(0.7349, ratio.get("value").asDouble(), 1e-9);
        assertEquals(">= 0.7", ratio.get("target").asText());
    }
}
