package org.nexusswarm.memory.journal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.nexusswarm.memory.chronotope.HybridLogicalClock;

/**
 * Renders journal entries as aligned terminal lines: one journal ({@link #header}/{@link #line}), a timeline
 * across journals ({@link #timelineHeader}/{@link #timelineLine}, which adds entity, place and causes), and a
 * causal chain ({@link #chainLine}, indented by depth).
 */
public final class TimelineFormatter {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private TimelineFormatter() {}

    public static String header() {
        return String.format("%6s  %-23s  %-8s  %-16s  %-5s  %s", "seq", "time (UTC)", "hlc+n", "event", "chain", "details");
    }

    public static String line(JournalEntry e) {
        String hlc = e.chronotope() == null ? "-" : "+" + HybridLogicalClock.logical(e.chronotope().hlc());
        return String.format("%6d  %-23s  %-8s  %-16s  %-5s  %s",
                e.sequenceNr(), TIME.format(Instant.ofEpochMilli(e.timestampMillis())), hlc, e.type(),
                e.chainIntact() ? "ok" : "BROKEN", e.details());
    }

    public static String timelineHeader() {
        return String.format("%-23s  %-28s  %5s  %-16s  %-16s  %-5s  %s", "time (UTC)", "entity", "seq", "place",
                "event", "chain", "details [causes]");
    }

    /**
     * One event of a timeline across journals. The time shown is the chronotope's wall time (when it happened at
     * the deciding node); the line order is the clock order, so a lagging node's time may look out of step.
     */
    public static String timelineLine(JournalEntry e) {
        return String.format("%-23s  %-28s  %5d  %-16s  %-16s  %-5s  %s%s",
                TIME.format(Instant.ofEpochMilli(e.wallTimeMillis())), e.entity(), e.sequenceNr(),
                e.place().isEmpty() ? "-" : e.place(), e.type(), e.chainIntact() ? "ok" : "BROKEN", e.details(),
                e.causes().isEmpty() ? "" : " [<- " + String.join(", ", e.causes()) + "]");
    }

    /** One step of a causal chain, indented two spaces per step back from the decision. */
    public static String chainLine(CausalLink link) {
        String indent = "  ".repeat(link.depth());
        String arrow = link.depth() == 0 ? "" : "<- ";
        return switch (link.kind()) {
            case EVENT -> {
                JournalEntry e = link.entry();
                yield String.format("%s%s%s#%d  %s  %s  %s: %s%s", indent, arrow, e.entity(), e.sequenceNr(),
                        TIME.format(Instant.ofEpochMilli(e.wallTimeMillis())), e.place().isEmpty() ? "-" : e.place(),
                        e.type(), e.details(), e.chainIntact() ? "" : "  [chain BROKEN]");
            }
            case EXTERNAL -> indent + arrow + link.ref() + "  (outside the swarm)";
            case MISSING -> indent + arrow + link.ref() + "  MISSING: no such event in its journal";
            case UNREADABLE -> indent + arrow + "'" + link.ref() + "'  UNREADABLE cause reference";
        };
    }
}
