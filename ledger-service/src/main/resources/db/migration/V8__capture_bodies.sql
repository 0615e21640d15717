-- Opt-in per key: the relays put each request's body and its answer (a stream reassembled), each cut to
-- TOLLGATE_CAPTURE_MAX_BYTES, on the usage event; the ledger keeps them in request_bodies.
ALTER TABLE api_keys ADD COLUMN capture_bodies BOOLEAN NOT NULL DEFAULT FALSE;

-- The captured bodies, one row per captured request, keyed like the request log (day, request_id) and written in
-- the same transaction as its row. RANGE-partitioned by day exactly like request_log: the same partition job
-- splits p_future ahead of time and drops whole partitions after the same retention (retention/PartitionMaintenance).
-- MEDIUMTEXT: a body at the relay's largest cap (64 KiB) is already past TEXT's 65,535 bytes.
CREATE TABLE request_bodies (
    day                 DATE         NOT NULL,
    request_id          VARCHAR(40)  NOT NULL,
    request_body        MEDIUMTEXT   NOT NULL,
    request_truncated   BOOLEAN      NOT NULL DEFAULT FALSE,
    response_body       MEDIUMTEXT   NULL,              -- null: the client got no answer from the upstream
    response_truncated  BOOLEAN      NOT NULL DEFAULT FALSE,
    streamed            BOOLEAN      NOT NULL DEFAULT FALSE, -- the answer was a stream, kept reassembled
    PRIMARY KEY (day, request_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
PARTITION BY RANGE (TO_DAYS(day)) (
    PARTITION p_start VALUES LESS THAN (TO_DAYS('2026-01-01')),
    PARTITION p_future VALUES LESS THAN MAXVALUE
);
