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
            + "disabled_reason, tags FROM channels ";

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

    /** {@code tag}: only channels carrying it (null: all). */
    public Mono<Page<ChannelView>> list(Paging paging, String tag) {
        // Channels are few: the tag test reads each row's JSON array (JSON_CONTAINS is in MariaDB and MySQL alike).
        String where = "WHERE deleted = FALSE " + (tag == null ? "" : "AND JSON_CONTAINS(tags, JSON_QUOTE(:tag)) ");
        DatabaseClient.GenericExecuteSpec count = db.sql("SELECT COUNT(*) AS n FROM channels " + where);
        DatabaseClient.GenericExecuteSpec select = db.sql(COLUMNS + where
                        + "ORDER BY priority DESC, id LIMIT :limit OFFSET :offset")
                .bind("limit", paging.size())
                .bind("offset", paging.offset());
        if (tag != null) {
            count = count.bind("tag", tag);
            select = select.bind("tag", tag);
        }
        Mono<Long> total = count.map((row, meta) -> Rows.longValue(row, "n")).one();
        Mono<List<ChannelView>> items = select.map((row, meta) -> ChannelView.of(toStored(row))).all().collectList();
        return Mono.zip(items, total, paging::page);
    }

    /** The ids of the channels carrying {@code tag}, for a batch switch. */
    public Mono<List<Long>> idsTagged(String tag) {
        return db.sql("SELECT id FROM channels WHERE deleted = FALSE AND JSON_CONTAINS(tags, JSON_QUOTE(:tag)) "
                        + "ORDER BY id")
                .bind("tag", tag)
                .map((row, meta) -> Rows.longValue(row, "id"))
                .all()
                .collectList();
    }

    private static ChannelView.StoredChannel toStored(Row row) {
        return new ChannelView.StoredChannel(Rows.longValue(row, "id"), row.get("name", String.class),
                row.get("provider", String.class), row.get("base_url", String.class),
                row.get("api_key_enc", String.class), Rows.objectMap(row, "config"), Rows.stringList(row, "models"),
                Rows.stringMap(row, "model_mapping"), Rows.stringList(row, "groups_json"),
                (int) Rows.longValue(row, "priority"), (int) Rows.longValue(row, "weight"), Rows.bool(row, "enabled"),
                Rows.longValue(row, "version"), Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"),
                Rows.bool(row, "auto_disabled"), row.get("disabled_reason", String.class),
                Rows.stringList(row, "tags"));
    }
}
