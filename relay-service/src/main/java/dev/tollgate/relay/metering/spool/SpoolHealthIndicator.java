package dev.tollgate.relay.metering.spool;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code usage} health component: always UP (Kafka being down must not take a relay out of service; it
 * spools), with details saying whether events are published or piling up on local disk.
 */
public final class SpoolHealthIndicator implements HealthIndicator {

    private final SpoolingUsageSink sink;

    public SpoolHealthIndicator(SpoolingUsageSink sink) {
        this.sink = sink;
    }

    @Override
    public Health health() {
        UsageSpool spool = sink.spool();
        SpoolSender sender = sink.sender();
        long oldest = sender.oldestUnackedAt();
        long now = System.currentTimeMillis();
        Health.Builder builder = Health.up()
                .withDetail("state", sender.spooling(now) ? "spooling" : "publishing")
                .withDetail("spooledEvents", spool.spooledEvents())
                .withDetail("spooledBytes", spool.spooledBytes())
                .withDetail("oldestSpooledAgeMs", oldest == 0 ? 0 : Math.max(0, now - oldest))
                .withDetail("full", spool.full());
        if (sender.lastSendError() != null) {
            builder.withDetail("lastSendError", sender.lastSendError());
        }
        return builder.build();
    }
}
