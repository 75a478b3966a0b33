package org.nexusswarm.coordinator.cli;

import java.io.PrintWriter;
import org.nexusswarm.coordinator.demo.DemoReport;

/** Prints the demo's closing summary: what started, what was decided, what was journaled, what next. */
final class DemoSummary {

    private DemoSummary() {}

    static void print(DemoReport r, String dataLocation, PrintWriter out) {
        out.println();
        out.println("Summary");
        row(out, "entities started", r.totalStarted() + " (" + r.describeStarted() + ")");
        row(out, "sensor readings", r.signalsAccepted() + " accepted, " + r.signalsRefused() + " refused");
        row(out, "decisions", r.count("ActionAllowed") + " allowed, " + r.count("ActionDenied") + " denied");
        row(out, "certified results", r.certifiedResults() + " compute results, " + r.alertsRaised() + " drought alerts raised");
        row(out, "bad input refused", "forged signature -> " + r.forgedRefusal() + ", unknown sender -> "
                + r.unknownSenderRefusal() + " (" + r.count("Refused") + " refusals journaled)");
        row(out, "killed / quarantined", r.quarantined().isEmpty() ? "none" : String.join(", ", r.quarantined())
                + (r.quarantinedRefusal() == null ? "" : " (then refused with " + r.quarantinedRefusal() + ")"));
        row(out, "events journaled", r.totalEvents() + " in " + r.journals() + " journals " + r.journalCounts());
        row(out, "hash chains", (r.journals() - r.brokenChains()) + "/" + r.journals() + " intact");
        row(out, "data", dataLocation);
        out.println();
        out.println("Next:");
        String rogue = r.quarantined().isEmpty() ? "agent:" + r.instance() + ".agent-000" : r.quarantined().get(0);
        out.println("  ./swarm journal show " + rogue + "      # the rogue's journal, read back from Cassandra");
        out.println("  ./swarm journal show orchestrator:" + r.instance() + ".orchestrator-0");
        out.println("  ./swarm journal verify --rail " + r.instance() + "      # hash chains, Merkle roots, node signatures");
        out.println("  ./swarm journal query --rail " + r.instance() + " --kind agent --limit 40   # one timeline");
        out.println("  ./swarm journal export --entity " + rogue + " --out rogue.aep.json && ./swarm aep verify rogue.aep.json");
        out.println("  ./mvnw -B verify                  # the whole test suite");
    }

    private static void row(PrintWriter out, String label, String value) {
        out.printf("  %-22s %s%n", label, value);
    }
}
