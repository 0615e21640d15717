-- Key rotation: a rotated key points at its replacement and the replacement at it. The old key's grace period is
-- its expires_at (the relays refuse an expired key by time, without another change event).
ALTER TABLE api_keys ADD COLUMN rotated_from BIGINT NULL;
ALTER TABLE api_keys ADD COLUMN rotated_to BIGINT NULL;
