package dev.tollgate.admin.users;

import dev.tollgate.admin.db.Rows;
import dev.tollgate.admin.web.Page;
import dev.tollgate.admin.web.Paging;
import io.r2dbc.spi.Row;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Reads users and their journal. */
@Repository
public class UserRepository {

    private static final String USER_COLUMNS =
            "SELECT id, username, role, group_name, enabled, balance_micros, version, created_at, rpm_limit, tpm_limit "
                    + "FROM users ";
    private static final String JOURNAL_COLUMNS =
            "SELECT id, user_id, kind, amount_micros, balance_after, note, at FROM journal ";

    private final DatabaseClient db;

    public UserRepository(DatabaseClient db) {
        this.db = db;
    }

    public Mono<UserView> findById(long id) {
        return db.sql(USER_COLUMNS + "WHERE id = :id")
                .bind("id", id)
                .map((row, meta) -> toUser(row))
                .one();
    }

    public Mono<UserView> findByUsername(String username) {
        return db.sql(USER_COLUMNS + "WHERE username = :username")
                .bind("username", username)
                .map((row, meta) -> toUser(row))
                .one();
    }

    public Mono<Page<UserView>> list(Paging paging) {
        Mono<Long> total = db.sql("SELECT COUNT(*) AS n FROM users")
                .map((row, meta) -> Rows.longValue(row, "n"))
                .one();
        Mono<java.util.List<UserView>> items = db.sql(USER_COLUMNS + "ORDER BY id LIMIT :limit OFFSET :offset")
                .bind("limit", paging.size())
                .bind("offset", paging.offset())
                .map((row, meta) -> toUser(row))
                .all()
                .collectList();
        return Mono.zip(items, total, paging::page);
    }

    public Mono<JournalEntryView> journalEntry(long id) {
        return db.sql(JOURNAL_COLUMNS + "WHERE id = :id")
                .bind("id", id)
                .map((row, meta) -> toEntry(row))
                .one();
    }

    /**
     * The entry a command created, found by the command id the ledger keeps as its ref: the whole id, or
     * {@code legacyRef}, the id as rows written before the ledger's V5 migration kept it (the whole id, the
     * longer, wins when both match).
     */
    public Mono<JournalEntryView> journalEntryByRef(long userId, String ref, String legacyRef) {
        return db.sql(JOURNAL_COLUMNS + "WHERE user_id = :userId AND (ref = :ref OR ref = :legacyRef) "
                        + "ORDER BY CHAR_LENGTH(ref) DESC, id DESC LIMIT 1")
                .bind("userId", userId)
                .bind("ref", ref)
                .bind("legacyRef", legacyRef)
                .map((row, meta) -> toEntry(row))
                .one();
    }

    public Mono<Page<JournalEntryView>> journal(long userId, Paging paging) {
        Mono<Long> total = db.sql("SELECT COUNT(*) AS n FROM journal WHERE user_id = :userId")
                .bind("userId", userId)
                .map((row, meta) -> Rows.longValue(row, "n"))
                .one();
        Mono<java.util.List<JournalEntryView>> items = db.sql(JOURNAL_COLUMNS
                        + "WHERE user_id = :userId ORDER BY id DESC LIMIT :limit OFFSET :offset")
                .bind("userId", userId)
                .bind("limit", paging.size())
                .bind("offset", paging.offset())
                .map((row, meta) -> toEntry(row))
                .all()
                .collectList();
        return Mono.zip(items, total, paging::page);
    }

    private static UserView toUser(Row row) {
        return new UserView(Rows.longValue(row, "id"), row.get("username", String.class), row.get("role", String.class),
                row.get("group_name", String.class), Rows.bool(row, "enabled"), Rows.longValue(row, "balance_micros"),
                Rows.longValue(row, "version"), Rows.instant(row, "created_at"), Rows.nullableInt(row, "rpm_limit"),
                Rows.nullableLong(row, "tpm_limit"));
    }

    private static JournalEntryView toEntry(Row row) {
        return new JournalEntryView(Rows.longValue(row, "id"), Rows.longValue(row, "user_id"),
                row.get("kind", String.class), Rows.longValue(row, "amount_micros"),
                Rows.longValue(row, "balance_after"), row.get("note", String.class), Rows.instant(row, "at"));
    }
}
