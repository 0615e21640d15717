package dev.tollgate.ledger.usage;

import dev.tollgate.contracts.events.UsageEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The dedupe key of a request: {@code (day, requestId)}, the request log's primary key. The day is
 * the UTC date of the event's own timestamp, so a redelivery lands on the same key.
 */
public record UsageKey(LocalDate day, String requestId) {

    public static UsageKey of(UsageEvent event) {
        return new UsageKey(dayOf(eventTime(event)), event.requestId());
    }

    /** The event's own time: its envelope {@code at}, else when it finished. */
    public static Instant eventTime(UsageEvent event) {
        return event.at() != null ? event.at() : event.finishedAt();
    }

    public static LocalDate dayOf(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }
}
