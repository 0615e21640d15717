package dev.tollgate.relay.metering.spool;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Gauges that let operators see usage waiting on local disk (the one way a relay can still lose it). */
public final class SpoolMetrics {

    private SpoolMetrics() {
    }

    public static void register(MeterRegistry registry, SpoolingUsageSink sink) {
        Gauge.builder("tollgate.relay.spool.events", sink, s -> s.spool().spooledEvents())
                .description("Usage events on local disk not yet acknowledged by Kafka")
                .register(registry);
        Gauge.builder("tollgate.relay.spool.bytes", sink, s -> s.spool().spooledBytes())
                .description("Bytes of usage events not yet acknowledged by Kafka")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("tollgate.relay.spool.oldest.age", sink, SpoolMetrics::oldestAgeSeconds)
                .description("Age of the oldest usage event not yet acknowledged by Kafka")
                .baseUnit("seconds")
                .register(registry);
    }

    private static double oldestAgeSeconds(SpoolingUsageSink sink) {
        long oldest = sink.sender().oldestUnackedAt();
        return oldest == 0 ? 0 : Math.max(0, System.currentTimeMillis() - oldest) / 1000.0;
    }
}
