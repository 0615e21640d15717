package dev.tollgate.ledger.retention;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The request log's partitions ({@code tollgate.log.*}, fed by TOLLGATE_LOG_* variables).
 *
 * @param partitionsAhead daily partitions kept ready after today (TOLLGATE_LOG_PARTITIONS_AHEAD)
 * @param retentionDays   days of request log kept before today; older partitions are dropped (TOLLGATE_LOG_RETENTION_DAYS)
 * @param jobEnabled      whether this ledger runs the hourly partition job at all
 */
@ConfigurationProperties("tollgate.log")
public record LogRetentionProperties(@DefaultValue("7") int partitionsAhead, @DefaultValue("90") int retentionDays,
        @DefaultValue("true") boolean jobEnabled) {

    public LogRetentionProperties {
        if (partitionsAhead < 1) {
            throw new IllegalArgumentException("tollgate.log.partitions-ahead must be at least 1: " + partitionsAhead);
        }
        if (retentionDays < 1) {
            throw new IllegalArgumentException("tollgate.log.retention-days must be at least 1: " + retentionDays);
        }
    }
}
