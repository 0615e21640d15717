package dev.tollgate.admin.prices;

import dev.tollgate.admin.db.Rows;
import dev.tollgate.admin.web.Page;
import dev.tollgate.admin.web.Paging;
import io.r2dbc.spi.Row;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Reads price versions and groups. */
@Repository
public class PriceRepository {

    private static final String PRICE_COLUMNS = "SELECT p.model, p.version, p.input_micros_per_mtok, "
            + "p.output_micros_per_mtok, p.cached_input_micros_per_mtok, p.cache_write_micros_per_mtok, "
            + "p.per_request_micros, p.per_image_micros, p.per_audio_second_micros, p.reasoning_micros_per_mtok, "
            + "p.output_reserve_tokens, p.created_at FROM prices p ";
    private static final String LATEST = "JOIN (SELECT model, MAX(version) AS v FROM prices GROUP BY model) m "
            + "ON p.model = m.model AND p.version = m.v ";

    private final DatabaseClient db;

    public PriceRepository(DatabaseClient db) {
        this.db = db;
    }

    public Mono<PriceView> latest(String model) {
        return db.sql(PRICE_COLUMNS + "WHERE p.model = :model ORDER BY p.version DESC LIMIT 1")
                .bind("model", model)
                .map((row, meta) -> toPrice(row))
                .one();
    }

    public Mono<PriceView> version(String model, long version) {
        return db.sql(PRICE_COLUMNS + "WHERE p.model = :model AND p.version = :version")
                .bind("model", model)
                .bind("version", version)
                .map((row, meta) -> toPrice(row))
                .one();
    }

    public Mono<Page<PriceView>> latestAll(Paging paging) {
        Mono<Long> total = db.sql("SELECT COUNT(DISTINCT model) AS n FROM prices")
                .map((row, meta) -> Rows.longValue(row, "n"))
                .one();
        Mono<List<PriceView>> items = db.sql(PRICE_COLUMNS + LATEST + "ORDER BY p.model LIMIT :limit OFFSET :offset")
                .bind("limit", paging.size())
                .bind("offset", paging.offset())
                .map((row, meta) -> toPrice(row))
                .all()
                .collectList();
        return Mono.zip(items, total, paging::page);
    }

    public Mono<GroupView> group(String name) {
        return db.sql("SELECT name, multiplier_bp, version, updated_at, rpm_limit, tpm_limit FROM user_groups "
                        + "WHERE name = :name")
                .bind("name", name)
                .map((row, meta) -> toGroup(row))
                .one();
    }

    public Mono<Page<GroupView>> groups(String onlyName, Paging paging) {
        String where = onlyName == null ? "" : "WHERE name = :name ";
        DatabaseClient.GenericExecuteSpec count = db.sql("SELECT COUNT(*) AS n FROM user_groups " + where);
        DatabaseClient.GenericExecuteSpec select = db.sql("SELECT name, multiplier_bp, version, updated_at, rpm_limit, tpm_limit "
                        + "FROM user_groups " + where + "ORDER BY name LIMIT :limit OFFSET :offset")
                .bind("limit", paging.size())
                .bind("offset", paging.offset());
        if (onlyName != null) {
            count = count.bind("name", onlyName);
            select = select.bind("name", onlyName);
        }
        Mono<Long> total = count.map((row, meta) -> Rows.longValue(row, "n")).one();
        Mono<List<GroupView>> items = select.map((row, meta) -> toGroup(row)).all().collectList();
        return Mono.zip(items, total, paging::page);
    }

    public Mono<String> userGroup(long userId) {
        return db.sql("SELECT group_name FROM users WHERE id = :id")
                .bind("id", userId)
                .map((row, meta) -> row.get("group_name", String.class))
                .one();
    }

    private static PriceView toPrice(Row row) {
        return new PriceView(row.get("model", String.class), Rows.longValue(row, "version"),
                Rows.longValue(row, "input_micros_per_mtok"), Rows.longValue(row, "output_micros_per_mtok"),
                Rows.longValue(row, "cached_input_micros_per_mtok"), Rows.longValue(row, "cache_write_micros_per_mtok"),
                Rows.longValue(row, "per_request_micros"), Rows.longValue(row, "per_image_micros"),
                Rows.longValue(row, "per_audio_second_micros"), Rows.longValue(row, "reasoning_micros_per_mtok"),
                Rows.nullableLong(row, "output_reserve_tokens"),
                Rows.instant(row, "created_at"));
    }

    private static GroupView toGroup(Row row) {
        return new GroupView(row.get("name", String.class), Rows.longValue(row, "multiplier_bp"),
                Rows.longValue(row, "version"), Rows.instant(row, "updated_at"), Rows.nullableInt(row, "rpm_limit"),
                Rows.nullableLong(row, "tpm_limit"));
    }
}
