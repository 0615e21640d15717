package dev.tollgate.relay.metering;

import dev.tollgate.contracts.events.UsageEvent;

/** Where numbered usage events go: the local spool, which a sender drains to Kafka. Must not block for long. */
public interface UsageSink extends AutoCloseable {

    void send(UsageEvent event);

    /** The event with the W3C {@code traceparent} of the request it records (null when not traced). */
    default void send(UsageEvent event, String traceparent) {
        send(event);
    }

    @Override
    default void close() {
    }
}
