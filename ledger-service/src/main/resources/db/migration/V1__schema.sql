-- Tollgate schema. The ledger is its only writer; relays and admin read it.
-- Portable across MariaDB 10.11+ and MySQL 8.4: no RETURNING, no upsert row alias, JSON kept as TEXT.
-- Every entity row has a version that grows by one on each change; followers keep the highest.

CREATE TABLE user_groups (
    name            VARCHAR(64)  NOT NULL PRIMARY KEY,
    multiplier_bp   BIGINT       NOT NULL DEFAULT 10000,
    version         BIGINT       NOT NULL DEFAULT 1,
    updated_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO user_groups (name, multiplier_bp, version) VALUES ('default', 10000, 1);

CREATE TABLE users (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    username        VARCHAR(128) NOT NULL,
    password_hash   VARCHAR(255) NOT NULL,
    role            VARCHAR(16)  NOT NULL,            -- admin | customer
    group_name      VARCHAR(64)  NOT NULL,
    enabled         BOOLEAN      NOT NULL DEFAULT TRUE,
    version         BIGINT       NOT NULL DEFAULT 1,   -- of the user's profile
    balance_micros  BIGINT       NOT NULL DEFAULT 0,   -- materialised sum of the user's journal
    balance_version BIGINT       NOT NULL DEFAULT 0,   -- grows with every journal entry
    created_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE KEY uk_users_username (username)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE api_keys (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id         BIGINT       NOT NULL,
    name            VARCHAR(128) NOT NULL,
    key_hash        CHAR(64)     NOT NULL,             -- SHA-256 hex of the key; the key itself is never stored
    prefix          VARCHAR(16)  NOT NULL,             -- first 8 characters, for display
    group_name      VARCHAR(64)  NULL,                 -- null: the user's group
    quota_micros    BIGINT       NULL,                 -- null: no per-key limit
    used_micros     BIGINT       NOT NULL DEFAULT 0,
    models          TEXT         NULL,                 -- JSON array; null or [] = every model
    allowed_cidrs   TEXT         NULL,                 -- JSON array; null or [] = anywhere
    expires_at      TIMESTAMP(3) NULL,
    enabled         BOOLEAN      NOT NULL DEFAULT TRUE,
    deleted         BOOLEAN      NOT NULL DEFAULT FALSE,
    version         BIGINT       NOT NULL DEFAULT 1,
    created_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE KEY uk_api_keys_hash (key_hash),
    KEY ix_api_keys_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE channels (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name            VARCHAR(128) NOT NULL,
    provider        VARCHAR(32)  NOT NULL,
    base_url        VARCHAR(512) NOT NULL,
    api_key_enc     TEXT         NULL,                 -- AES-GCM ciphertext (SecretBox), never plaintext
    config          TEXT         NULL,                 -- JSON object, provider-specific
    models          TEXT         NOT NULL,             -- JSON array of model names served
    model_mapping   TEXT         NULL,                 -- JSON object asked -> upstream name
    groups_json     TEXT         NOT NULL,             -- JSON array of group names allowed
    priority        INT          NOT NULL DEFAULT 0,   -- higher is tried first
    weight          INT          NOT NULL DEFAULT 1,
    enabled         BOOLEAN      NOT NULL DEFAULT TRUE,
    deleted         BOOLEAN      NOT NULL DEFAULT FALSE,
    version         BIGINT       NOT NULL DEFAULT 1,
    created_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE KEY uk_channels_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every price version is kept: a usage event names the version it was admitted under.
CREATE TABLE prices (
    model                       VARCHAR(128) NOT NULL,
    version                     BIGINT       NOT NULL,
    input_micros_per_mtok       BIGINT       NOT NULL DEFAULT 0,
    output_micros_per_mtok      BIGINT       NOT NULL DEFAULT 0,
    cached_input_micros_per_mtok BIGINT      NOT NULL DEFAULT 0,
    cache_write_micros_per_mtok BIGINT       NOT NULL DEFAULT 0,
    per_request_micros          BIGINT       NOT NULL DEFAULT 0,
    per_image_micros            BIGINT       NOT NULL DEFAULT 0,
    per_audio_second_micros     BIGINT       NOT NULL DEFAULT 0,
    output_reserve_tokens       BIGINT       NULL,     -- admission's output estimate when max_tokens is absent
    created_at                  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (model, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Append-only: a balance is the sum of its journal. Usage is one entry per user per batch.
CREATE TABLE journal (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id         BIGINT       NOT NULL,
    kind            VARCHAR(16)  NOT NULL,             -- topup | adjustment | usage
    amount_micros   BIGINT       NOT NULL,             -- signed: credits positive, usage negative
    balance_after   BIGINT       NOT NULL,
    ref             VARCHAR(64)  NOT NULL,             -- command id or usage batch id
    note            VARCHAR(512) NULL,
    request_count   INT          NOT NULL DEFAULT 0,
    at              TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    KEY ix_journal_user (user_id, id),
    KEY ix_journal_ref (ref)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per request; (day, request_id) is the dedupe key (day from the event's own timestamp,
-- so a redelivery lands on the same row). Ready for RANGE partitioning by day.
CREATE TABLE request_log (
    day                 DATE         NOT NULL,
    request_id          VARCHAR(40)  NOT NULL,
    user_id             BIGINT       NOT NULL,
    key_id              BIGINT       NOT NULL,
    channel_id          BIGINT       NULL,
    relay_id            VARCHAR(128) NULL,
    relay_seq           BIGINT       NOT NULL DEFAULT 0,
    group_name          VARCHAR(64)  NULL,
    model               VARCHAR(128) NULL,             -- as asked
    model_served        VARCHAR(128) NULL,
    dialect             VARCHAR(16)  NULL,
    provider            VARCHAR(32)  NULL,
    price_version       BIGINT       NOT NULL DEFAULT 0,
    input_tokens        BIGINT       NOT NULL DEFAULT 0,
    cache_read_tokens   BIGINT       NOT NULL DEFAULT 0,
    cache_write_tokens  BIGINT       NOT NULL DEFAULT 0,
    output_tokens       BIGINT       NOT NULL DEFAULT 0,
    reasoning_tokens    BIGINT       NOT NULL DEFAULT 0,
    cost_micros         BIGINT       NOT NULL DEFAULT 0,
    estimated           BOOLEAN      NOT NULL DEFAULT FALSE,
    status              VARCHAR(16)  NOT NULL,         -- success | cancelled | upstream_error | rejected
    http_status         INT          NOT NULL DEFAULT 0,
    error_class         VARCHAR(64)  NULL,
    latency_ms          BIGINT       NOT NULL DEFAULT 0,
    ttft_ms             BIGINT       NULL,
    at                  TIMESTAMP(3) NOT NULL,         -- finishedAt
    batch_ref           VARCHAR(64)  NULL,             -- the usage journal entry that charged it
    PRIMARY KEY (day, request_id),
    KEY ix_request_log_user_at (user_id, at),
    KEY ix_request_log_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Per user and relay, the highest relaySeq applied: relays drop their pending charges up to it.
CREATE TABLE relay_seqs (
    user_id         BIGINT       NOT NULL,
    relay_id        VARCHAR(128) NOT NULL,
    seq             BIGINT       NOT NULL,
    PRIMARY KEY (user_id, relay_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Commands applied, with their result: a repeated command id gets the stored answer again.
CREATE TABLE processed_commands (
    command_id      VARCHAR(128) NOT NULL PRIMARY KEY,
    type            VARCHAR(32)  NOT NULL,
    actor           VARCHAR(128) NULL,
    result          TEXT         NOT NULL,             -- the CommandResult change, JSON
    at              TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Written in the same transaction as the state it announces; published, then deleted.
CREATE TABLE outbox (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    topic           VARCHAR(255) NOT NULL,
    msg_key         VARCHAR(255) NOT NULL,
    payload         MEDIUMTEXT   NOT NULL,
    created_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
