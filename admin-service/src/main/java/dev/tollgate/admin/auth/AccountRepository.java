package dev.tollgate.admin.auth;

import dev.tollgate.admin.db.Rows;
import io.r2dbc.spi.Row;
import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** The users table as sign-in sees it. */
@Repository
public class AccountRepository {

    public static final String ADMIN_USERNAME = "admin";

    private static final String COLUMNS =
            "id, username, password_hash, role, enabled, totp_secret_enc, totp_enabled, sessions_valid_after";

    private final DatabaseClient db;

    public AccountRepository(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Account> findByUsername(String username) {
        return db.sql("SELECT " + COLUMNS + " FROM users WHERE username = :username")
                .bind("username", username)
                .map((row, meta) -> toAccount(row))
                .one();
    }

    public Mono<Account> findById(long id) {
        return db.sql("SELECT " + COLUMNS + " FROM users WHERE id = :id")
                .bind("id", id)
                .map((row, meta) -> toAccount(row))
                .one();
    }

    public Mono<Boolean> adminExists() {
        return db.sql("SELECT COUNT(*) AS n FROM users WHERE username = :username")
                .bind("username", ADMIN_USERNAME)
                .map((row, meta) -> Rows.longValue(row, "n") > 0)
                .one();
    }

    private static Account toAccount(Row row) {
        return new Account(Rows.longValue(row, "id"), row.get("username", String.class),
                row.get("password_hash", String.class), row.get("role", String.class), Rows.bool(row, "enabled"),
                row.get("totp_secret_enc", String.class), Rows.bool(row, "totp_enabled"),
                Rows.instant(row, "sessions_valid_after"));
    }

    /**
     * A user row with its password hash: never leaves the auth package. {@code totpSecretEnc}: the TOTP secret under
     * the master key (null: none); {@code totpEnabled}: sign-in demands a code; {@code sessionsValidAfter}: the user's
     * sessions issued before it have ended (null: none ended so).
     */
    record Account(long id, String username, String passwordHash, String role, boolean enabled, String totpSecretEnc,
            boolean totpEnabled, Instant sessionsValidAfter) {

        /** Whether a session issued at {@code issuedAt} was ended by the user's "sessions valid after" time. */
        boolean endedSession(Instant issuedAt) {
            return sessionsValidAfter != null && issuedAt.isBefore(sessionsValidAfter);
        }

        @Override
        public String toString() {
            return "Account[id=" + id + ", username=" + username + ", role=" + role + ", enabled=" + enabled + "]";
        }
    }
}
