package dev.tollgate.admin.stats;

import dev.tollgate.admin.db.Rows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Sums of {@code usage_hourly} (the ledger keeps it with the request log, so it is never behind it). */
@Repository
public class StatsRepository {

    static final int MAX_ROWS = 1000;
    private static final String SUMS = "SUM(h.requests) AS requests, SUM(h.errors) AS errors, "
            + "SUM(h.input_tokens) AS input_tokens, SUM(h.cache_read_tokens) AS cache_read_tokens, "
            + "SUM(h.cache_write_tokens) AS cache_write_tokens, SUM(h.output_tokens) AS output_tokens, "
            + "SUM(h.reasoning_tokens) AS reasoning_tokens, SUM(h.cost_micros) AS cost_micros ";

    private final DatabaseClient db;

    public StatsRepository(DatabaseClient db) {
        this.db = db;
    }

    public Mono<StatsView> sum(StatsQuery q) {
        Grouping g = grouping(q.groupBy());
        Where where = where(q);
        DatabaseClient.GenericExecuteSpec rows = bind(db.sql("SELECT " + g.key() + " AS k, " + g.label() + " AS label, "
                + SUMS + "FROM usage_hourly h " + g.join() + where.sql() + "GROUP BY " + g.groupBy() + " ORDER BY "
                + g.order() + " LIMIT " + MAX_ROWS), where.params());
        DatabaseClient.GenericExecuteSpec total = bind(db.sql("SELECT " + SUMS + "FROM usage_hourly h " + where.sql()),
                where.params());
        Mono<List<StatsView.Row>> items = rows.map((row, meta) -> toRow(row, row.get("k", String.class),
                        row.get("label", String.class)))
                .all()
                .collectList();
        Mono<StatsView.Row> sum = total.map((row, meta) -> toRow(row, "total", null)).one();
        return Mono.zip(items, sum, (list, t) -> new StatsView(q.groupBy().wireName(), q.from(), q.to(), list, t));
    }

    /** SQL for a grouping: fixed text only, never caller input. */
    record Grouping(String key, String label, String join, String groupBy, String order) {
    }

    static Grouping grouping(StatsQuery.GroupBy groupBy) {
        return switch (groupBy) {
            case DAY -> new Grouping("DATE_FORMAT(h.`hour`, '%Y-%m-%d')", "NULL", "", "k", "k");
            case HOUR -> new Grouping("DATE_FORMAT(h.`hour`, '%Y-%m-%dT%H:00:00Z')", "NULL", "", "k", "k");
            case MODEL -> new Grouping("h.model", "NULL", "", "h.model", "cost_micros DESC, k");
            case USER -> new Grouping("CAST(h.user_id AS CHAR)", "MAX(u.username)",
                    "LEFT JOIN users u ON u.id = h.user_id ", "h.user_id", "cost_micros DESC, h.user_id");
            case KEY -> new Grouping("CAST(h.key_id AS CHAR)", "MAX(ak.name)",
                    "LEFT JOIN api_keys ak ON ak.id = h.key_id ", "h.key_id", "cost_micros DESC, h.key_id");
            case CHANNEL -> new Grouping("CAST(h.channel_id AS CHAR)", "MAX(c.name)",
                    "LEFT JOIN channels c ON c.id = h.channel_id ", "h.channel_id", "cost_micros DESC, h.channel_id");
        };
    }

    record Where(String sql, Map<String, Object> params) {
    }

    static Where where(StatsQuery q) {
        List<String> clauses = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        clauses.add("h.`hour` >= :from");
        params.put("from", Rows.utc(q.from()));
        clauses.add("h.`hour` < :to");
        params.put("to", Rows.utc(q.to()));
        add(clauses, params, "h.user_id = :userId", "userId", q.userId());
        add(clauses, params, "h.key_id = :keyId", "keyId", q.keyId());
        add(clauses, params, "h.model = :model", "model", q.model());
        add(clauses, params, "h.channel_id = :channelId", "channelId", q.channelId());
        return new Where("WHERE " + String.join(" AND ", clauses) + " ", params);
    }

    private static void add(List<String> clauses, Map<String, Object> params, String clause, String name, Object value) {
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

    private static StatsView.Row toRow(io.r2dbc.spi.Row row, String key, String label) {
        return new StatsView.Row(key, label, Rows.longValue(row, "requests"), Rows.longValue(row, "errors"),
                Rows.longValue(row, "input_tokens"), Rows.longValue(row, "cache_read_tokens"),
                Rows.longValue(row, "cache_write_tokens"), Rows.longValue(row, "output_tokens"),
                Rows.longValue(row, "reasoning_tokens"), Rows.longValue(row, "cost_micros"));
    }
}
