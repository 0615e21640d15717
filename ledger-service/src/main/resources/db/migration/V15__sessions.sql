-- Admin sessions that hold across every admin instance (issue 10). The admin services keep these in memory,
-- refreshed by session.revoked changes, and load them at start-up.
-- sessions_valid_after: every session of the user issued before it has ended (sign out everywhere, an admin ending
-- the user's sessions, a TOTP switch or a password change); it only moves forward.
ALTER TABLE users ADD COLUMN sessions_valid_after TIMESTAMP(3) NULL;
-- totp_last_step: the latest TOTP time step accepted for the user; a code of that step or an earlier one is refused,
-- so a code is used once whichever admin instance sees it.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NULL;

-- One signed-out session (its token's jti), kept until the token's own expiry; later the token is refused by time.
CREATE TABLE revoked_sessions (
    session_id VARCHAR(64)  NOT NULL PRIMARY KEY,
    user_id    BIGINT       NOT NULL,
    expires_at TIMESTAMP(3) NOT NULL,
    revoked_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    KEY ix_revoked_sessions_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
