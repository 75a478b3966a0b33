package org.nexusswarm.coordinator.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one benchmark run, printed as one table and written as JSON, so runs can be compared by script.
 * A ratio row's name reads like {@code journaled supervised / plain} and its value is followed by {@code x}.
 */
public final class BenchTable {

    /** One figure: its name, value, unit and, when it has one, the target it is held to. */
    public record Row(String name, double value, String unit, String target) {}

    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Object> context = new LinkedHashMap<>();

    /** Adds a figure. */
    public BenchTable add(String name, double value, String unit) {
        return add(name, value, unit, "");
    }

    /** Adds a figure held to {@code target} (e.g. {@code >= 0.8}). */
    public BenchTable add(String name, double value, String unit, String target) {
        rows.add(new Row(name, value, unit, target));
        return this;
    }

    /** Adds something about the run (cores, message counts, ...) to the JSON. */
    public BenchTable note(String key, Object value) {
        context.put(key, value);
        return this;
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** The table: name, value, unit and target, one row per figure. */
    public void print(PrintWriter out) {
        out.printf("%-50s %14s %s%n", "measure", "value", "unit (target)");
        for (Row r : rows) {
            String value = Math.abs(r.value()) >= 100 ? String.format("%.0f", r.value()) : String.format("%.2f", r.value());
            out.printf("%-50s %14s %s%s%n", r.name(), value, r.unit(),
                    r.target().isEmpty() ? "" : " (target " + r.target() + ")");
        }
    }

    /** Writes {@code {"context": {...}, "rows": [{name, value, unit, target}, ...]}} to {@code file}. */
    public void writeJson(Path file) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("context", context);
        doc.put("rows", rows);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
    }
}
