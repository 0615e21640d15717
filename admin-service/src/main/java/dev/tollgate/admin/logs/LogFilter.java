package dev.tollgate.admin.logs;

import dev.tollgate.admin.auth.Caller;
import dev.tollgate.admin.web.ApiException;
import dev.tollgate.contracts.events.UsageStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/** The filters of {@code GET /api/logs}; {@code from} inclusive, {@code to} exclusive. */
public record LogFilter(Long userId, Long keyId, String model, Long channelId, Instant from, Instant to,
        String status) {

    /** Parses the query; a customer's filter is pinned to their own user id, whatever they asked. */
    public static LogFilter of(Caller caller, Long userId, Long keyId, String model, Long channelId, String from,
            String to, String status) {
        if (status != null && Arrays.stream(UsageStatus.values()).noneMatch(s -> s.wireName().equals(status))) {
            throw ApiException.invalid("status", "one of success, cancelled, upstream_error, rejected");
        }
        Instant fromAt = instant("from", from);
        Instant toAt = instant("to", to);
        if (fromAt != null && toAt != null && !fromAt.isBefore(toAt)) {
            throw ApiException.invalid("to", "must be after from");
        }
        Long owner = caller.isAdmin() ? userId : Long.valueOf(caller.userId());
        return new LogFilter(owner, keyId, blankToNull(model), channelId, fromAt, toAt, status);
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

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
