package dev.tollgate.admin.audit;

import dev.tollgate.admin.web.ApiException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The filters of {@code GET /api/audit}, each an exact match ({@code actor} such as {@code user:5}, {@code type}
 * such as {@code user.topup}, {@code target} such as {@code channel:3}); {@code from} inclusive, {@code to} exclusive.
 */
record AuditFilter(String actor, String type, String target, Instant from, Instant to) {

    private static final int MAX_TEXT = 160;

    static AuditFilter of(String actor, String type, String target, String from, String to) {
        Instant fromAt = instant("from", from);
        Instant toAt = instant("to", to);
        if (fromAt != null && toAt != null && !fromAt.isBefore(toAt)) {
            throw ApiException.invalid("to", "must be after from");
        }
        return new AuditFilter(text("actor", actor), text("type", type), text("target", target), fromAt, toAt);
    }

    private static String text(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_TEXT) {
            throw ApiException.invalid(field, "must be at most " + MAX_TEXT + " characters");
        }
        return value;
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
