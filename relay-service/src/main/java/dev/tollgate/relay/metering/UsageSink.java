package dev.tollgate.relay.metering;

import dev.tollgate.contracts.events.UsageEvent;

/** Where numbered usage events go (Kafka now; a disk spool in front of it later). Must not block for long. */
public interface UsageSink extends AutoCloseable {

    void send(UsageEvent event);

    @Override
    default void close() {
    }
}
