-- Who asked for what, when, and how it ended: one row per admin (or relay, or system) command, written in the
-- command's own transaction. The body is the command with every secret-bearing field replaced by "[redacted]".
CREATE TABLE audit_log (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    command_id      VARCHAR(128) NOT NULL,
    type            VARCHAR(32)  NOT NULL,
    actor           VARCHAR(128) NULL,
    target          VARCHAR(160) NULL,             -- entity:id it touched, else the command's aggregate id
    ok              BOOLEAN      NOT NULL,
    code            VARCHAR(64)  NULL,             -- the rejection code
    body            MEDIUMTEXT   NOT NULL,         -- the command payload, JSON, secrets redacted
    at              TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    KEY idx_audit_at (at),
    KEY idx_audit_actor_at (actor, at),
    KEY idx_audit_type_at (type, at),
    KEY idx_audit_target_at (target, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
