package dev.tollgate.relay.snapshot;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;

/** How fresh the relay's view of MySQL is: loaded or not, and how long since the changes topic was last read. */
public final class SnapshotMetrics {

    public static final String LOADED = "tollgate.relay.snapshot.loaded";
    public static final String AGE = "tollgate.relay.snapshot.age";

    private SnapshotMetrics() {
    }

    public static void register(MeterRegistry registry, RelaySnapshot snapshot, ChangeFollower follower) {
        Gauge.builder(LOADED, snapshot, s -> s.loaded() ? 1 : 0)
                .description("1 once the snapshot is loaded from MySQL (the relay is ready), else 0")
                .register(registry);
        // A relay that cannot read the changes topic serves an ever older view: this is how old it may be.
        Gauge.builder(AGE, follower, SnapshotMetrics::ageSeconds)
                .description("Seconds since the changes topic was last read (NaN before the first read)")
                .baseUnit("seconds")
                .register(registry);
    }

    private static double ageSeconds(ChangeFollower follower) {
        Instant last = follower.lastPollAt();
        return last == null ? Double.NaN : Math.max(0, System.currentTimeMillis() - last.toEpochMilli()) / 1000.0;
    }
}
