package redteam.packs.chrono;

import java.time.LocalDate;
import java.time.chrono.AbstractChronology;
import java.time.chrono.ChronoLocalDate;
import java.time.chrono.Chronology;
import java.time.chrono.Era;
import java.time.chrono.IsoChronology;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalField;
import java.time.temporal.ValueRange;
import java.util.List;
import java.util.Map;

/**
 * Red team: Chronology.dateNow() (a default method reading the wall clock) is denied for owners under
 * java/time/chrono/, but javac names the pack's own subclass as the owner.
 */
public final class ChronoClockLogic extends AbstractChronology {
    private static final Chronology ISO = IsoChronology.INSTANCE;

    /** The wall-clock date, from ordinary Java source. */
    public static long epochDayToday() {
        return new ChronoClockLogic().dateNow().toEpochDay();
    }

    @Override public String getId() { return "redteam"; }
    @Override public String getCalendarType() { return "redteam"; }
    @Override public ChronoLocalDate date(int y, int m, int d) { return ISO.date(y, m, d); }
    @Override public ChronoLocalDate dateYearDay(int y, int d) { return ISO.dateYearDay(y, d); }
    @Override public ChronoLocalDate dateEpochDay(long d) { return ISO.dateEpochDay(d); }
    @Override public ChronoLocalDate date(TemporalAccessor t) { return LocalDate.from(t); }
    @Override public boolean isLeapYear(long y) { return ISO.isLeapYear(y); }
    @Override public int prolepticYear(Era era, int y) { return ISO.prolepticYear(era, y); }
    @Override public Era eraOf(int v) { return ISO.eraOf(v); }
    @Override public List<Era> eras() { return ISO.eras(); }
    @Override public ValueRange range(ChronoField f) { return ISO.range(f); }
    @Override public ChronoLocalDate resolveDate(Map<TemporalField, Long> f, ResolverStyle s) { return ISO.resolveDate(f, s); }
}
