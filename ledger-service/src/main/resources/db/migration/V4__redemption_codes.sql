-- Prepaid redemption codes. Only the SHA-256 of a code is stored (like customer keys); the code
-- itself is shown once, in the admin's create answer. A code is redeemed once: the redeeming UPDATE
-- matches only while redeemed_by is NULL, so of two concurrent redemptions exactly one changes the row.
CREATE TABLE redemption_codes (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    batch_name      VARCHAR(128) NOT NULL,
    code_hash       CHAR(64)     NOT NULL,             -- SHA-256 hex of the code
    prefix          VARCHAR(16)  NOT NULL,             -- first characters, for display
    amount_micros   BIGINT       NOT NULL,             -- credited on redemption
    expires_at      TIMESTAMP(3) NULL,                 -- null: never expires
    created_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    redeemed_by     BIGINT       NULL,                 -- user credited
    redeemed_at     TIMESTAMP(3) NULL,
    journal_id      BIGINT       NULL,                 -- the journal entry of the credit
    version         BIGINT       NOT NULL DEFAULT 1,
    UNIQUE KEY uk_redemption_codes_hash (code_hash),
    KEY ix_redemption_codes_batch (batch_name, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
