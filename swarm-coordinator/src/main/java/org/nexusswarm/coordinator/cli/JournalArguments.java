package org.nexusswarm.coordinator.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;

/**
 * The arguments every {@code swarm journal} command reads the same way: which entity an id names, and what time
 * a {@code --from}/{@code --to} text means. One place, so every reviewer command accepts the same forms.
 */
final class JournalArguments {

    private static final Pattern RELATIVE = Pattern.compile("-(\\d{1,9})([smhd])");

    private JournalArguments() {}

    /** {@code kind:id} names one entity; a bare id is tried under every kind. Bad text is a usage error. */
    static List<EntityAddress> candidates(String text) {
        try {
            if (text.contains(":")) {
                return List.of(EntityAddress.parse(text));
            }
            return Arrays.stream(EntityKind.values()).map(k -> EntityAddress.of(k, text)).toList();
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
    }

    /**
     * A time option: an ISO-8601 instant (Z or an offset), a date-time or date in UTC, epoch milliseconds,
     * {@code now}, or a time before now ({@code -30s}, {@code -15m}, {@code -2h}, {@code -7d}). Null stays null;
     * anything else is a usage error naming the option.
     */
    static Instant time(String option, String text, Instant now) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        if (t.equalsIgnoreCase("now")) {
            return now;
        }
        Matcher m = RELATIVE.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d);
        }
        try {
            if (t.matches("\\d{10,}")) {
                return Instant.ofEpochMilli(Long.parseLong(t));
            }
            if (t.endsWith("Z") || t.endsWith("z") || t.matches(".*[+-]\\d{2}:\\d{2}$")) {
                return OffsetDateTime.parse(t).toInstant();
            }
            if (t.contains("T")) {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            }
            return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new UserError(ExitCodes.USAGE, option + " '" + text + "' is not a time: use an ISO-8601 instant "
                    + "like 2026-11-21T07:30:00Z (or 2026-11-21T07:30 / 2026-11-21 in UTC), epoch milliseconds, "
                    + "'now', or -30s / -15m / -2h / -7d");
        }
    }
}
