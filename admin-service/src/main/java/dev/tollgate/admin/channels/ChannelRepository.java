package dev.tollgate.admin.channels;

import dev.tollgate.admin.db.Rows;
import dev.tollgate.admin.web.Page;
import dev.tollgate.admin.web.Paging;
import io.r2dbc.spi.Row;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Reads channels; the ciphertext column is read only to say whether a key is set. */
@Repository
public class ChannelRepository {

    private static final String COLUMNS = "SELECT id, name, provider, base_url, api_key_enc, config, models, "
            + "model_mapping, groups_json, priority, weight, enabled, version, created_at, updated_at, auto_disabled, "
            + "disabled_reason FROM channels ";

    private final DatabaseClient db;

    public ChannelRepository(DatabaseClient db) {
        this.db = db;
    }

    public Mono<ChannelView> findById(long id) {
        return db.sql(COLUMNS + "WHERE id = :id AND deleted = FALSE")
                .bind("id", id)
                .map((row, meta) -> ChannelView.of(toStored(row)))
                .one();
    }

    /** The row with its key's ciphertext, for a probe of the upstream; stays inside this package. */
    Mono<ChannelView.StoredChannel> findStored(long id) {
        return db.sql(COLUMNS + "WHERE id = :id AND deleted = FALSE")
                .bind("id", id)
                .map((row, meta) -> toStored(row))
                .one();
    }

    public Mono<ChannelView> findByName(String name) {
        return db.sql(COLUMNS + "WHERE name = :name AND deleted = FALSE")
                .bind("name", name)
                .map((row, meta) -> ChannelView.of(toStored(row)))
                .one();
    }

    public Mono<Page<ChannelView>> list(Paging paging) {
        Mono<Long> total = db.sql("SELECT COUNT(*) AS n FROM channels WHERE deleted = FALSE")
                .map((row, meta) -> Rows.longValue(row, "n"))
                .one();
        Mono<List<ChannelView>> items = db.sql(COLUMNS
                        + "WHERE deleted = FALSE ORDER BY priority DESC, id LIMIT :limit OFFSET :offset")
                .bind("limit", paging.size())
                .bind("offset", paging.offset())
                .map((row, meta) -> ChannelView.of(toStored(row)))
                .all()
                .collectList();
        return Mono.zip(items, total, paging::page);
    }

    private static ChannelView.StoredChannel toStored(Row row) {
        return new ChannelView.StoredChannel(Rows.longValue(row, "id"), row.get("name", String.class),
                row.get("provider", String.class), row.get("base_url", String.class),
                row.get("api_key_enc", String.class), Rows.objectMap(row, "config"), Rows.stringList(row, "models"),
                Rows.stringMap(row, "model_mapping"), Rows.stringList(row, "groups_json"),
                (int) Rows.longValue(row, "priority"), (int) Rows.longValue(row, "weight"), Rows.bool(row, "enabled"),
                Rows.longValue(row, "version"), Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"),
                Rows.bool(row, "auto_disabled"), row.get("disabled_reason", String.class));
    }
}
