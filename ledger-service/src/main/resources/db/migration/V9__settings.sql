-- Gateway-wide settings by name (registration on/off, the relay URL the web UI's playground calls, ...).
-- The admin service gives names and values their meaning; the ledger stores them (Command.SetSettings).
CREATE TABLE settings (
    name            VARCHAR(64)  NOT NULL PRIMARY KEY,
    value           TEXT         NOT NULL,
    version         BIGINT       NOT NULL DEFAULT 1,
    updated_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
