package dev.tollgate.admin.live;

import dev.tollgate.admin.config.KafkaSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The live view of this admin instance: follows the usage topic into {@link LiveWindows} and answers snapshots,
 * computed at most about once a second however many dashboards are open.
 */
@Component
public class LiveStats implements DisposableBean {

    static final Duration REFRESH = Duration.ofMillis(500);

    private final Clock clock;
    private final LiveWindows windows;
    private final LiveUsageConsumer consumer;
    private LiveSnapshot cached;

    LiveStats(KafkaSettings kafka, LiveCosts costs, Clock clock) {
        this.clock = clock;
        this.windows = new LiveWindows(clock.instant());
        this.consumer = new LiveUsageConsumer(kafka, costs::costOf,
                (event, cost) -> windows.record(event, cost, clock.instant()));
        this.consumer.start();
    }

    public synchronized LiveSnapshot snapshot() {
        Instant now = clock.instant();
        if (cached == null || !cached.at().plus(REFRESH).isAfter(now)) {
            cached = windows.snapshot(now, consumer.isFollowing());
        }
        return cached;
    }

    public boolean isFollowing() {
        return consumer.isFollowing();
    }

    String lastError() {
        return consumer.lastError();
    }

    String groupId() {
        return consumer.groupId();
    }

    @Override
    public void destroy() {
        consumer.close();
    }
}
