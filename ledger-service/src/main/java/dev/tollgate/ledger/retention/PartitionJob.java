package dev.tollgate.ledger.retention;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Runs {@link PartitionMaintenance} at start and then hourly; a failure is logged and retried next hour. */
@Component
@ConditionalOnProperty(name = "tollgate.log.job-enabled", havingValue = "true", matchIfMissing = true)
class PartitionJob {

    private static final Logger log = LoggerFactory.getLogger(PartitionJob.class);

    private final PartitionMaintenance maintenance;
    private final LogRetentionProperties properties;
    private final Clock clock;

    PartitionJob(PartitionMaintenance maintenance, LogRetentionProperties properties, Clock clock) {
        this.maintenance = maintenance;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${tollgate.log.job-interval:PT1H}")
    void run() {
        try {
            maintenance.maintain(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC), properties.partitionsAhead(),
                    properties.retentionDays());
        } catch (RuntimeException e) {
            // Days ahead are kept so that a few failed runs still leave room; the next run tries again.
            log.error("Request log partition job failed: {}", e.toString());
        }
    }
}
