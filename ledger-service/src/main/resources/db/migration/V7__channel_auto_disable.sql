-- A channel the ledger switched off because a relay saw its upstream refuse the credentials (401/403) or the
-- account (out of credit, deactivated). Only such channels are probed and switched back on when the upstream
-- answers again; a channel an admin disabled (auto_disabled FALSE) stays off. disabled_at: when it went off.
ALTER TABLE channels ADD COLUMN auto_disabled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE channels ADD COLUMN disabled_reason VARCHAR(255) NULL;
ALTER TABLE channels ADD COLUMN disabled_at TIMESTAMP(3) NULL;
