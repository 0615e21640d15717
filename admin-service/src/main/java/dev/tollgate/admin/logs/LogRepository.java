package dev.tollgate.admin.logs;

import dev.tollgate.admin.db.Rows;
import dev.tollgate.admin.web.Page;
import dev.tollgate.admin.web.Paging;
import io.r2dbc.spi.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Reads the request log, newest first. */
@Repository
public class LogRepository {

    private static final String COLUMNS = "SELECT request_id, user_id, key_id, channel_id, model, model_served, "
            + "input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost_micros, "
            + "estimated, status, http_status, error_class, latency_ms, ttft_ms, at FROM request_log ";

    private final DatabaseClient db;

    public LogRepository(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Page<LogView>> find(LogFilter filter, Paging paging) {
        Where where = where(filter);
        DatabaseClient.GenericExecuteSpec count = bind(db.sql("SELECT COUNT(*) AS n FROM request_log " + where.sql()),
                where.params());
        DatabaseClient.GenericExecuteSpec select = bind(db.sql(COLUMNS + where.sql()
                        + "ORDER BY at DESC, request_id DESC LIMIT :limit OFFSET :offset"), where.params())
                .bind("limit", paging.size())
                .bind("offset", paging.offset());
        Mono<Long> total = count.map((row, meta) -> Rows.longValue(row, "n")).one();
        Mono<List<LogView>> items = select.map((row, meta) -> toView(row)).all().collectList();
        return Mono.zip(items, total, paging::page);
    }

    /** Only fixed column names and named parameters: no caller text is ever part of the SQL. */
    static Where where(LogFilter f) {
        List<String> clauses = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        add(clauses, params, "user_id = :userId", "userId", f.userId());
        add(clauses, params, "key_id = :keyId", "keyId", f.keyId());
        add(clauses, params, "model = :model", "model", f.model());
        add(clauses, params, "channel_id = :channelId", "channelId", f.channelId());
        add(clauses, params, "at >= :from", "from", f.from() == null ? null : Rows.utc(f.from()));
        add(clauses, params, "at < :to", "to", f.to() == null ? null : Rows.utc(f.to()));
        add(clauses, params, "status = :status", "status", f.status());
        String sql = clauses.isEmpty() ? "" : "WHERE " + String.join(" AND ", clauses) + " ";
        return new Where(sql, params);
    }

    private static void add(List<String> clauses, Map<String, Object> params, String clause, String name,
            Object value) {
        if (value != null) {
            clauses.add(clause);
            params.put(name, value);
        }
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec,
            Map<String, Object> params) {
        for (Map.Entry<String, Object> e : params.entrySet()) {
            spec = spec.bind(e.getKey(), e.getValue());
        }
        return spec;
    }

    private static LogView toView(Row row) {
        return new LogView(row.get("request_id", String.class), Rows.longValue(row, "user_id"),
                Rows.longValue(row, "key_id"), Rows.nullableLong(row, "channel_id"), row.get("model", String.class),
                row.get("model_served", String.class), Rows.longValue(row, "input_tokens"),
                Rows.longValue(row, "cache_read_tokens"), Rows.longValue(row, "cache_write_tokens"),
                Rows.longValue(row, "output_tokens"), Rows.longValue(row, "reasoning_tokens"),
                Rows.longValue(row, "cost_micros"), Rows.bool(row, "estimated"), row.get("status", String.class),
                (int) Rows.longValue(row, "http_status"), row.get("error_class", String.class),
                Rows.longValue(row, "latency_ms"), Rows.nullableLong(row, "ttft_ms"), Rows.instant(row, "at"));
    }

    record Where(String sql, Map<String, Object> params) {
    }
}
