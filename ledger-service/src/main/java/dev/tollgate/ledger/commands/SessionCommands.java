package dev.tollgate.ledger.commands;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Admin sign-in state that every admin instance must agree on: signed-out sessions, the time before which a user's
 * sessions have ended, and the last TOTP step accepted. Sessions changes are announced ({@code session.revoked}) so
 * each admin instance refuses the tokens within moments; the TOTP step is only ever read back through the result.
 */
@Component
class SessionCommands {

    /** A session id is a token's jti (a UUID); anything longer is not one of ours. */
    static final int MAX_SESSION_ID = 64;
    /** How far ahead of the ledger's clock a "sessions valid after" may be: clock skew, not a lock-out for days. */
    static final Duration MAX_AHEAD = Duration.ofMinutes(5);
    /** Expired revocations removed per signed-out session, so the table stays as small as the live tokens. */
    private static final int PURGE_BATCH = 100;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    SessionCommands(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Outcome revokeSession(Command.RevokeSession c) {
        Optional<Outcome> invalid = Checks.required("sessionId", c.sessionId(), MAX_SESSION_ID);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        if (c.expiresAt() == null) {
            return Outcome.rejected(Outcome.INVALID, "expiresAt is required");
        }
        if (!lockUser(c.userId())) {
            return Outcome.rejected(Outcome.NOT_FOUND, "no such user: " + c.userId());
        }
        Instant now = clock.instant();
        jdbc.update("DELETE FROM revoked_sessions WHERE expires_at < ? LIMIT " + PURGE_BATCH, JsonColumns.utc(now));
        if (!c.expiresAt().isAfter(now)) {
            // Already refused by its own expiry: nothing to keep or announce.
            return Outcome.applied("user", Long.toString(c.userId()), 0);
        }
        // A repeat (another command id for the same session) keeps the first row.
        jdbc.update("INSERT INTO revoked_sessions (session_id, user_id, expires_at) VALUES (?, ?, ?) "
                        + "ON DUPLICATE KEY UPDATE session_id = session_id",
                c.sessionId(), c.userId(), JsonColumns.utc(c.expiresAt()));
        return Outcome.applied("user", Long.toString(c.userId()), 0,
                new Change.SessionsRevoked(c.userId(), c.sessionId(), c.expiresAt(), null));
    }

    Outcome revokeSessions(Command.RevokeSessions c) {
        Optional<Outcome> invalid = checkValidAfter(c.validAfter(), true);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        if (!lockUser(c.userId())) {
            return Outcome.rejected(Outcome.NOT_FOUND, "no such user: " + c.userId());
        }
        return Outcome.applied("user", Long.toString(c.userId()), 0, endSessionsBefore(c.userId(), c.validAfter()));
    }

    /**
     * Accepts a TOTP step once: a single conditional UPDATE, so of two sign-ins with the same code (on any admin
     * instances) exactly one is applied, and an earlier step than one already used is refused too.
     */
    Outcome useTotpStep(Command.UseTotpStep c) {
        if (c.step() < 0) {
            return Outcome.rejected(Outcome.INVALID, "step must not be negative");
        }
        int updated = jdbc.update("UPDATE users SET totp_last_step = ? "
                + "WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)", c.step(), c.userId(), c.step());
        if (updated == 1) {
            return Outcome.applied("user", Long.toString(c.userId()), 0);
        }
        if (!lockUser(c.userId())) {
            return Outcome.rejected(Outcome.NOT_FOUND, "no such user: " + c.userId());
        }
        return Outcome.rejected(Outcome.CONFLICT, "this code was already used");
    }

    /**
     * Moves the user's "sessions valid after" forward to {@code validAfter} (never back) in the caller's transaction,
     * the user row already locked; the change carries the time now stored.
     */
    Change.SessionsRevoked endSessionsBefore(long userId, Instant validAfter) {
        jdbc.update("UPDATE users SET sessions_valid_after = GREATEST(COALESCE(sessions_valid_after, ?), ?) "
                + "WHERE id = ?", JsonColumns.utc(validAfter), JsonColumns.utc(validAfter), userId);
        List<Instant> stored = jdbc.query("SELECT sessions_valid_after FROM users WHERE id = ?",
                (rs, i) -> JsonColumns.instant(rs, "sessions_valid_after"), userId);
        return new Change.SessionsRevoked(userId, null, null, stored.get(0));
    }

    /** A "sessions valid after" must be set (when required) and not far ahead of this clock. */
    Optional<Outcome> checkValidAfter(Instant validAfter, boolean required) {
        if (validAfter == null) {
            return required ? Optional.of(Outcome.rejected(Outcome.INVALID, "validAfter is required"))
                    : Optional.empty();
        }
        if (validAfter.isAfter(clock.instant().plus(MAX_AHEAD))) {
            return Optional.of(Outcome.rejected(Outcome.INVALID,
                    "the time sessions end before is more than " + MAX_AHEAD.toMinutes()
                            + " minutes ahead of the ledger's clock"));
        }
        return Optional.empty();
    }

    private boolean lockUser(long userId) {
        return !jdbc.queryForList("SELECT id FROM users WHERE id = ? FOR UPDATE", Long.class, userId).isEmpty();
    }
}
