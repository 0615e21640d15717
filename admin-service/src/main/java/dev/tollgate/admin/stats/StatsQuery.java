package dev.tollgate.admin.stats;

import dev.tollgate.admin.auth.Caller;
import dev.tollgate.admin.web.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;

/**
 * The query of {@code GET /api/stats}: [from, to) on whole hours (the rollups' grain), a grouping and optional
 * filters. A customer's query is pinned to their own user id whatever they asked, and may not group by user or
 * channel (channel names are the operator's business).
 */
public record StatsQuery(Instant from, Instant to, GroupBy groupBy, Long userId, Long keyId, String model,
        Long channelId) {

    static final Duration DEFAULT_RANGE = Duration.ofDays(7);
    static final Duration MAX_RANGE = Duration.ofDays(400);

    public enum GroupBy {
        DAY, HOUR, MODEL, USER, KEY, CHANNEL;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static GroupBy parse(String text) {
            if (text == null || text.isBlank()) {
                return DAY;
            }
            return Arrays.stream(values())
                    .filter(g -> g.wireName().equals(text))
                    .findFirst()
                    .orElseThrow(() -> ApiException.invalid("groupBy", "one of day, hour, model, user, key, channel"));
        }
    }

    public static StatsQuery of(Caller caller, Clock clock, String from, String to, String groupBy, Long userId,
            Long keyId, String model, Long channelId) {
        GroupBy g = GroupBy.parse(groupBy);
        if (!caller.isAdmin() && (g == GroupBy.USER || g == GroupBy.CHANNEL)) {
            throw ApiException.forbidden();
        }
        Instant toAt = instant("to", to);
        Instant end = toAt != null ? ceilHour(toAt) : clock.instant().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
        Instant fromAt = instant("from", from);
        Instant start = fromAt != null ? fromAt.truncatedTo(ChronoUnit.HOURS) : end.minus(DEFAULT_RANGE);
        if (!start.isBefore(end)) {
            throw ApiException.invalid("to", "must be after from");
        }
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw ApiException.invalid("from", "at most " + MAX_RANGE.toDays() + " days before to");
        }
        Long owner = caller.isAdmin() ? userId : Long.valueOf(caller.userId());
        return new StatsQuery(start, end, g, owner, keyId, model == null || model.isBlank() ? null : model,
                caller.isAdmin() ? channelId : null);
    }

    private static Instant ceilHour(Instant t) {
        Instant floor = t.truncatedTo(ChronoUnit.HOURS);
        return floor.equals(t) ? t : floor.plus(1, ChronoUnit.HOURS);
    }

    private static Instant instant(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(field, "must be an ISO-8601 UTC instant such as 2030-01-01T00:00:00Z");
        }
    }
}
