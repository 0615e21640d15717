package dev.tollgate.ledger.commands;

import java.util.Optional;

/** Small input checks shared by the handlers; each answers the rejection, if any. */
final class Checks {

    private Checks() {
    }

    static Optional<Outcome> required(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            return Optional.of(Outcome.rejected(Outcome.INVALID, field + " is required"));
        }
        return maxLength(field, value, maxLength);
    }

    static Optional<Outcome> maxLength(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            return Optional.of(Outcome.rejected(Outcome.INVALID, field + " is longer than " + maxLength));
        }
        return Optional.empty();
    }

    /** A rate limit is absent (null) or at least 1: a limit of 0 would be a disabled key, which has its own flag. */
    static Optional<Outcome> rateLimit(String field, Number limit) {
        if (limit != null && limit.longValue() < 1) {
            return Optional.of(Outcome.rejected(Outcome.INVALID, field + " must be at least 1 (or null for no limit)"));
        }
        return Optional.empty();
    }

    static String truncate(String value, int maxLength) {
        return value == null || value.length() <= maxLength ? value : value.substring(0, maxLength);
    }
}
