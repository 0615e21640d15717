package dev.tollgate.ledger.usage;

import dev.tollgate.contracts.events.UsageEvent;

/** One record of the usage topic, read: an event to apply, or a rejection for the DLQ. */
sealed interface ParsedUsage {

    record Accepted(UsageEvent event, UsageKey key) implements ParsedUsage {
    }

    /** {@code requestId} is null when it could not be read; {@code raw} is the record as text. */
    record Rejected(String reason, String requestId, String raw) implements ParsedUsage {
    }
}
