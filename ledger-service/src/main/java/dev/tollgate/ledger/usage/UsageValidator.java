package dev.tollgate.ledger.usage;

import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.money.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a decoded usage event can be stored as it is; anything else goes to the DLQ, with the
 * reason. Every value the schema or the cost formula cannot take must be caught here (or when
 * charged): a record the database refuses would otherwise be redelivered forever.
 */
final class UsageValidator {

    /** TIMESTAMP holds 1970-01-01 00:00:01 .. 2038-01-19 03:14:07 UTC; a day of margin at each end. */
    static final Instant EARLIEST = Instant.parse("1970-01-02T00:00:00Z");
    static final Instant LATEST_EXCLUSIVE = Instant.parse("2038-01-19T00:00:00Z");
    /** Relay clocks drift a little; a day ahead is no drift but a broken clock or a forged event. */
    static final Duration MAX_AHEAD = Duration.ofDays(1);
    /** A trillion of anything per request is far beyond any model, and keeps sums far from overflow. */
    static final long MAX_COUNT = 1_000_000_000_000L;
    /**
     * Visible ASCII only: the request log's key column ignores trailing spaces (PAD SPACE), so
     * "a" and "a " would be one key to MySQL and two to the dedupe check.
     */
    private static final Pattern REQUEST_ID = Pattern.compile("[\\x21-\\x7E]{1,40}");

    private UsageValidator() {
    }

    static Optional<String> problem(UsageEvent e, Instant now) {
        if (e.userId() <= 0) {
            return Optional.of("userId must be positive: " + e.userId());
        }
        if (e.keyId() < 0) {
            return Optional.of("keyId must not be negative: " + e.keyId());
        }
        if (e.requestId() == null || !REQUEST_ID.matcher(e.requestId()).matches()) {
            return Optional.of("requestId must be 1 to 40 visible ASCII characters");
        }
        if (UsageKey.eventTime(e) == null) {
            return Optional.of("usage event without a time (at/finishedAt)");
        }
        Optional<String> badTime = time("at", e.at(), now)
                .or(() -> time("startedAt", e.startedAt(), now))
                .or(() -> time("finishedAt", e.finishedAt(), now));
        if (badTime.isPresent()) {
            return badTime;
        }
        if (e.status() == null) {
            return Optional.of("usage event without a status");
        }
        if (e.relaySeq() < 0) {
            return Optional.of("relaySeq must not be negative: " + e.relaySeq());
        }
        TokenUsage tokens;
        try {
            tokens = e.tokens();
        } catch (IllegalArgumentException negative) {
            return Optional.of(negative.getMessage());
        }
        Optional<String> tooMany = count("inputTokens", tokens.inputTokens())
                .or(() -> count("cacheReadTokens", tokens.cacheReadTokens()))
                .or(() -> count("cacheWriteTokens", tokens.cacheWriteTokens()))
                .or(() -> count("outputTokens", tokens.outputTokens()))
                .or(() -> count("reasoningTokens", tokens.reasoningTokens()))
                .or(() -> count("requests", tokens.requests()))
                .or(() -> count("images", tokens.images()))
                .or(() -> count("audioSeconds", tokens.audioSeconds()));
        if (tooMany.isPresent()) {
            return tooMany;
        }
        if (e.latencyMs() < 0 || (e.ttftMs() != null && e.ttftMs() < 0)) {
            return Optional.of("latencies must not be negative");
        }
        return tooLong("relayId", e.relayId(), 128)
                .or(() -> tooLong("group", e.group(), 64))
                .or(() -> tooLong("modelAsked", e.modelAsked(), 128))
                .or(() -> tooLong("modelServed", e.modelServed(), 128))
                .or(() -> tooLong("priceModel", e.priceModel(), 128))
                .or(() -> tooLong("dialect", e.dialect(), 16))
                .or(() -> tooLong("provider", e.provider(), 32))
                .or(() -> tooLong("errorClass", e.errorClass(), 64));
    }

    private static Optional<String> time(String field, Instant value, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.isBefore(EARLIEST) || !value.isBefore(LATEST_EXCLUSIVE)) {
            return Optional.of(field + " " + value + " is outside the storable range 1970-01-02..2038-01-18");
        }
        if (value.isAfter(now.plus(MAX_AHEAD))) {
            return Optional.of(field + " " + value + " is more than " + MAX_AHEAD.toHours() + " hours in the future");
        }
        return Optional.empty();
    }

    private static Optional<String> count(String field, long value) {
        return value > MAX_COUNT ? Optional.of(field + " above " + MAX_COUNT + ": " + value) : Optional.empty();
    }

    private static Optional<String> tooLong(String field, String value, int max) {
        return value != null && value.length() > max
                ? Optional.of(field + " longer than " + max + " characters")
                : Optional.empty();
    }
}
