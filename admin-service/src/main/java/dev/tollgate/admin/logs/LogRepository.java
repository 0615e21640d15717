package dev.tollgate.admin.logs;

import dev.tollgate.admin.db.Rows;
import dev.tollgate.admin.web.Paging;
import dev.tollgate.contracts.Ids;
import io.r2dbc.spi.Row;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Reads the request log, newest first, and the bodies captured beside it (request_bodies). */
@Repository
public class LogRepository {

    private static final String COLUMNS = "SELECT day, request_id, user_id, key_id, channel_id, model, model_served, "
            + "input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost_micros, "
            + "estimated, status, http_status, error_class, latency_ms, ttft_ms, at FROM request_log ";

    private final DatabaseClient db;

    public LogRepository(DatabaseClient db) {
        this.db = db;
    }

    public Mono<LogPage> find(LogFilter filter, Paging paging) {
        Where where = where(filter);
        // Counts at most one row past the cap: reading a few thousand index entries, not every match (0.4-0.7 s
        // per million rows for a broad filter).
        DatabaseClient.GenericExecuteSpec count = bind(db.sql("SELECT COUNT(*) AS n FROM (SELECT 1 FROM request_log "
                        + where.sql() + "LIMIT :countLimit) matches"), where.params())
                .bind("countLimit", LogPage.COUNT_CAP + 1);
        DatabaseClient.GenericExecuteSpec select = bind(db.sql(COLUMNS + where.sql()
                        // By `at` alone: that ORDER BY reads ix_request_log_at backwards and stops after the page
                        // (30 ms on 1M rows); adding request_id makes MariaDB sort every row first (1.1 s). Rows of
                        // the same millisecond come in the index's own order, (day, request_id).
                        + "ORDER BY at DESC LIMIT :limit OFFSET :offset"), where.params())
                .bind("limit", paging.size())
                .bind("offset", paging.offset());
        Mono<Long> total = count.map((row, meta) -> Rows.longValue(row, "n")).one();
        Mono<List<LogView>> items = select.map((row, meta) -> logged(row)).all().collectList()
                .flatMap(this::markCaptured);
        return Mono.zip(items, total, (page, counted) -> LogPage.of(page, paging.page(), paging.size(), counted));
    }

    /**
     * A page's {@code captured} flags, by one lookup on the bodies' primary key (the days of the page, its ids)
     * rather than a join the sort would have to carry for every matching row.
     */
    private Mono<List<LogView>> markCaptured(List<Logged> page) {
        if (page.isEmpty()) {
            return Mono.just(List.of());
        }
        Set<LocalDate> days = new HashSet<>();
        List<String> ids = new ArrayList<>(page.size());
        for (Logged logged : page) {
            days.add(logged.day());
            ids.add(logged.view().requestId());
        }
        return db.sql("SELECT request_id FROM request_bodies WHERE day IN (:days) AND request_id IN (:ids)")
                .bind("days", List.copyOf(days))
                .bind("ids", ids)
                .map((row, meta) -> row.get("request_id", String.class))
                .all()
                .collect(HashSet<String>::new, Set::add)
                .map(captured -> page.stream()
                        .map(logged -> logged.view().withCaptured(captured.contains(logged.view().requestId())))
                        .toList());
    }

    /**
     * One request with its captured bodies; empty when there is no such request or {@code ownerId} (a customer's
     * own id; null for an admin) does not own it. A UUIDv7 id names when it was made, so the lookup reads only the
     * partitions of the days around it; any other id is looked up in every partition.
     */
    public Mono<LogDetailView> findOne(String requestId, Long ownerId) {
        StringBuilder sql = new StringBuilder(COLUMNS).append("WHERE request_id = :id ");
        OptionalLong madeAt = Ids.uuidV7Millis(requestId);
        if (madeAt.isPresent()) {
            sql.append("AND day IN (:days) ");
        }
        if (ownerId != null) {
            sql.append("AND user_id = :owner ");
        }
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql.append("LIMIT 1").toString()).bind("id", requestId);
        if (madeAt.isPresent()) {
            spec = spec.bind("days", daysAround(madeAt.getAsLong()));
        }
        if (ownerId != null) {
            spec = spec.bind("owner", ownerId);
        }
        return spec.map((row, meta) -> logged(row))
                .one()
                .flatMap(this::withBodies);
    }

    /**
     * The days a request made at {@code millis} can be logged under: the day of its end (usually the day it was
     * made, the next one for a request that ran past midnight), and a day either side for relay clocks that drift.
     */
    static List<LocalDate> daysAround(long millis) {
        LocalDate made = LocalDate.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
        return List.of(made.minusDays(1), made, made.plusDays(1));
    }

    /** A row of the request log with its partition day, which the bodies beside it are keyed by. */
    private record Logged(LogView view, LocalDate day) {
    }

    private static Logged logged(Row row) {
        return new Logged(toView(row), row.get("day", LocalDate.class));
    }

    private Mono<LogDetailView> withBodies(Logged logged) {
        return db.sql("SELECT request_body, request_truncated, response_body, response_truncated, streamed "
                        + "FROM request_bodies WHERE day = :day AND request_id = :id")
                .bind("day", logged.day())
                .bind("id", logged.view().requestId())
                .map((row, meta) -> detail(logged.view(), row))
                .one()
                .defaultIfEmpty(new LogDetailView(logged.view(), null, null));
    }

    private static LogDetailView detail(LogView view, Row row) {
        String response = row.get("response_body", String.class);
        return new LogDetailView(view.withCaptured(true),
                new LogDetailView.RequestBody(row.get("request_body", String.class),
                        Rows.bool(row, "request_truncated")),
                response == null ? null : new LogDetailView.ResponseBody(response, Rows.bool(row, "response_truncated"),
                        Rows.bool(row, "streamed")));
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
                Rows.longValue(row, "latency_ms"), Rows.nullableLong(row, "ttft_ms"), Rows.instant(row, "at"), false);
    }

    record Where(String sql, Map<String, Object> params) {
    }
}
