package dev.tollgate.ledger.usage;

import dev.tollgate.contracts.events.UsageEvent;

/** One record of the usage topic, read: an event to apply, or a rejection for the DLQ. */
sealed interface ParsedUsage {

    /** {@code raw} is the record as text, kept in case the event cannot be charged after all. */
    record Accepted(UsageEvent event, UsageKey key, String raw) implements ParsedUsage {

        Rejected reject(String reason) {
            return new Rejected(reason, event.requestId(), raw);
        }
    }

    /** {@code requestId} is null when it could not be read; {@code raw} is the record as text. */
    record Rejected(String reason, String requestId, String raw) implements ParsedUsage {
    }
}
