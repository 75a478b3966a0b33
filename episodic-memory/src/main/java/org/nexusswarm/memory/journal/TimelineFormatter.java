package org.nexusswarm.memory.journal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.nexusswarm.memory.chronotope.HybridLogicalClock;

/** Renders journal entries as an aligned terminal timeline: sequence, time, event type, details. */
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
}
