package dev.tollgate.ledger.usage;

import dev.tollgate.contracts.events.UsageEvent;
import java.util.Optional;

/** Checks a decoded usage event can be stored as it is; anything else goes to the DLQ, with the reason. */
final class UsageValidator {

    private UsageValidator() {
    }

    static Optional<String> problem(UsageEvent e) {
        if (e.userId() <= 0) {
            return Optional.of("userId must be positive: " + e.userId());
        }
        if (e.keyId() < 0) {
            return Optional.of("keyId must not be negative: " + e.keyId());
        }
        if (UsageKey.eventTime(e) == null) {
            return Optional.of("usage event without a time (at/finishedAt)");
        }
        if (e.status() == null) {
            return Optional.of("usage event without a status");
        }
        if (e.relaySeq() < 0) {
            return Optional.of("relaySeq must not be negative: " + e.relaySeq());
        }
        try {
            e.tokens();
        } catch (IllegalArgumentException negative) {
            return Optional.of(negative.getMessage());
        }
        if (e.latencyMs() < 0 || (e.ttftMs() != null && e.ttftMs() < 0)) {
            return Optional.of("latencies must not be negative");
        }
        return tooLong("requestId", e.requestId(), 40)
                .or(() -> tooLong("relayId", e.relayId(), 128))
                .or(() -> tooLong("group", e.group(), 64))
                .or(() -> tooLong("modelAsked", e.modelAsked(), 128))
                .or(() -> tooLong("modelServed", e.modelServed(), 128))
                .or(() -> tooLong("dialect", e.dialect(), 16))
                .or(() -> tooLong("provider", e.provider(), 32))
                .or(() -> tooLong("errorClass", e.errorClass(), 64));
    }

    private static Optional<String> tooLong(String field, String value, int max) {
        return value != null && value.length() > max
                ? Optional.of(field + " longer than " + max + " characters")
                : Optional.empty();
    }
}
