-- The request log by day: RANGE partitions on TO_DAYS(day), so retention drops whole partitions
-- instead of deleting rows. The primary key (day, request_id) holds the partition column, as MySQL
-- requires of every unique key. Static SQL cannot name today: the ledger's partition job splits
-- p_future into daily partitions ahead of time (retention/PartitionMaintenance).
ALTER TABLE request_log PARTITION BY RANGE (TO_DAYS(day)) (
    PARTITION p_start VALUES LESS THAN (TO_DAYS('2026-01-01')),
    PARTITION p_future VALUES LESS THAN MAXVALUE
);

-- Usage per hour, user, key, model and channel, for dashboards: maintained in the same transaction as
-- the request log it sums (usage/HourlyRollups), and kept when the log's partitions are dropped.
-- `hour` is the hour of the request log's `at` (UTC); model '' and channel_id 0 when there is none.
CREATE TABLE usage_hourly (
    `hour`              DATETIME     NOT NULL,
    user_id             BIGINT       NOT NULL,
    key_id              BIGINT       NOT NULL,
    model               VARCHAR(128) NOT NULL,
    channel_id          BIGINT       NOT NULL,
    requests            BIGINT       NOT NULL DEFAULT 0,
    input_tokens        BIGINT       NOT NULL DEFAULT 0,
    cache_read_tokens   BIGINT       NOT NULL DEFAULT 0,
    cache_write_tokens  BIGINT       NOT NULL DEFAULT 0,
    output_tokens       BIGINT       NOT NULL DEFAULT 0,
    reasoning_tokens    BIGINT       NOT NULL DEFAULT 0,
    cost_micros         BIGINT       NOT NULL DEFAULT 0,
    errors              BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (`hour`, user_id, key_id, model, channel_id),
    KEY ix_usage_hourly_user (user_id, `hour`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- What each dropped partition had charged, per user and key, written just before the partition is
-- dropped: reconciliation still proves usage journal = charged requests and key spend = charged
-- requests after retention removed the rows. Rows of a partition that still exists are ignored.
CREATE TABLE request_log_dropped (
    partition_name      VARCHAR(64)  NOT NULL,
    user_id             BIGINT       NOT NULL,
    key_id              BIGINT       NOT NULL,
    requests            BIGINT       NOT NULL,
    charged_micros      BIGINT       NOT NULL,
    dropped_at          TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (partition_name, user_id, key_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
