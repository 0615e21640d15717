package dev.tollgate.ledger.usage;

import dev.tollgate.contracts.events.UsageEvent;

/** A new usage event with what it costs; {@code batchRef} is null when nobody was charged (unknown user). */
record ChargedUsage(UsageEvent event, UsageKey key, long costMicros, String batchRef) {
}
