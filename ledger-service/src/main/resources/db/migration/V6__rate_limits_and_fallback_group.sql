-- Rate limits per key, per user and per group (requests and tokens per minute), enforced by the relays across
-- all of them (docs/accounting.md, "Rate limits"); a group's limit counts all users of the group together.
-- NULL = no limit. A key may name a fallback group, routed to when its own group has no channel for the model.
ALTER TABLE api_keys ADD COLUMN rpm_limit INT NULL;
ALTER TABLE api_keys ADD COLUMN tpm_limit BIGINT NULL;
ALTER TABLE api_keys ADD COLUMN fallback_group VARCHAR(64) NULL;

ALTER TABLE users ADD COLUMN rpm_limit INT NULL;
ALTER TABLE users ADD COLUMN tpm_limit BIGINT NULL;

ALTER TABLE user_groups ADD COLUMN rpm_limit INT NULL;
ALTER TABLE user_groups ADD COLUMN tpm_limit BIGINT NULL;
