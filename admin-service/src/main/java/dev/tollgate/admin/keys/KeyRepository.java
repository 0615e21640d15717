package dev.tollgate.admin.keys;

import dev.tollgate.admin.db.Rows;
import dev.tollgate.admin.web.Page;
import dev.tollgate.admin.web.Paging;
import io.r2dbc.spi.Row;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Reads customer keys; the hash is only ever compared here, never returned. */
@Repository
public class KeyRepository {

    private static final String COLUMNS = "SELECT id, prefix, user_id, name, group_name, quota_micros, used_micros, "
            + "models, allowed_cidrs, expires_at, enabled, version, created_at, rpm_limit, tpm_limit, fallback_group, "
            + "capture_bodies, rotated_from, rotated_to FROM api_keys ";

    private final DatabaseClient db;

    public KeyRepository(DatabaseClient db) {
        this.db = db;
    }

    public Mono<KeyView> findById(long id) {
        return db.sql(COLUMNS + "WHERE id = :id AND deleted = FALSE")
                .bind("id", id)
                .map((row, meta) -> toView(row))
                .one();
    }

    public Mono<KeyView> findByHash(String keyHash) {
        return db.sql(COLUMNS + "WHERE key_hash = :hash AND deleted = FALSE")
                .bind("hash", keyHash)
                .map((row, meta) -> toView(row))
                .one();
    }

    public Mono<Boolean> hasHash(long id, String keyHash) {
        return db.sql("SELECT COUNT(*) AS n FROM api_keys WHERE id = :id AND key_hash = :hash")
                .bind("id", id)
                .bind("hash", keyHash)
                .map((row, meta) -> Rows.longValue(row, "n") > 0)
                .one();
    }

    /** The group of a user, or empty when there is no such user. */
    public Mono<String> userGroup(long userId) {
        return db.sql("SELECT group_name FROM users WHERE id = :id")
                .bind("id", userId)
                .map((row, meta) -> row.get("group_name", String.class))
                .one();
    }

    public Mono<Boolean> groupExists(String name) {
        return db.sql("SELECT COUNT(*) AS n FROM user_groups WHERE name = :name")
                .bind("name", name)
                .map((row, meta) -> Rows.longValue(row, "n") > 0)
                .one();
    }

    public Mono<Page<KeyView>> list(Long userId, Paging paging) {
        String where = userId == null ? "WHERE deleted = FALSE " : "WHERE deleted = FALSE AND user_id = :userId ";
        DatabaseClient.GenericExecuteSpec count = db.sql("SELECT COUNT(*) AS n FROM api_keys " + where);
        DatabaseClient.GenericExecuteSpec select = db.sql(COLUMNS + where + "ORDER BY id LIMIT :limit OFFSET :offset")
                .bind("limit", paging.size())
                .bind("offset", paging.offset());
        if (userId != null) {
            count = count.bind("userId", userId);
            select = select.bind("userId", userId);
        }
        Mono<Long> total = count.map((row, meta) -> Rows.longValue(row, "n")).one();
        Mono<List<KeyView>> items = select.map((row, meta) -> toView(row)).all().collectList();
        return Mono.zip(items, total, paging::page);
    }

    private static KeyView toView(Row row) {
        return new KeyView(Rows.longValue(row, "id"), row.get("prefix", String.class), Rows.longValue(row, "user_id"),
                row.get("name", String.class), row.get("group_name", String.class),
                Rows.nullableLong(row, "quota_micros"), Rows.longValue(row, "used_micros"),
                Rows.stringList(row, "models"), Rows.stringList(row, "allowed_cidrs"),
                Rows.instant(row, "expires_at"), Rows.bool(row, "enabled"), Rows.longValue(row, "version"),
                Rows.instant(row, "created_at"), Rows.nullableInt(row, "rpm_limit"), Rows.nullableLong(row, "tpm_limit"),
                row.get("fallback_group", String.class), Rows.bool(row, "capture_bodies"),
                Rows.nullableLong(row, "rotated_from"), Rows.nullableLong(row, "rotated_to"));
    }
}
