package dev.tollgate.admin.auth;

import dev.tollgate.admin.db.Rows;
import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;

/** The ledger's record of ended sessions, as an admin instance loads it when it starts following the changes. */
@Repository
public class SessionRepository {

    /** A signed-out session, refused until it expires. */
    record Revoked(String sessionId, Instant expiresAt) {
    }

    /** A user whose sessions issued before {@code before} have ended. */
    record EndedBefore(long userId, Instant before) {
    }

    private final DatabaseClient db;

    public SessionRepository(DatabaseClient db) {
        this.db = db;
    }

    Flux<Revoked> revokedUnexpired(Instant now) {
        return db.sql("SELECT session_id, expires_at FROM revoked_sessions WHERE expires_at > :now")
                .bind("now", Rows.utc(now))
                .map((row, meta) -> new Revoked(row.get("session_id", String.class), Rows.instant(row, "expires_at")))
                .all();
    }

    /** Only times that can still end an unexpired token: later than one session lifetime ago. */
    Flux<EndedBefore> endedSince(Instant since) {
        return db.sql("SELECT id, sessions_valid_after FROM users WHERE sessions_valid_after > :since")
                .bind("since", Rows.utc(since))
                .map((row, meta) -> new EndedBefore(Rows.longValue(row, "id"),
                        Rows.instant(row, "sessions_valid_after")))
                .all();
    }
}
