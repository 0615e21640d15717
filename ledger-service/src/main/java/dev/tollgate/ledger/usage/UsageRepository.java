package dev.tollgate.ledger.usage;

import dev.tollgate.contracts.events.UsageEvent;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The request log and key spend. */
@Repository
class UsageRepository {

    /** Rows per multi-row statement: 28 columns × 250 stays far below the 65,535 placeholders allowed. */
    private static final int CHUNK = 250;
    private static final String COLUMNS = "day, request_id, user_id, key_id, channel_id, relay_id, relay_seq, "
            + "group_name, model, model_served, dialect, provider, price_version, input_tokens, cache_read_tokens, "
            + "cache_write_tokens, output_tokens, reasoning_tokens, cost_micros, estimated, status, http_status, "
            + "error_class, latency_ms, ttft_ms, at, batch_ref";
    private static final int COLUMN_COUNT = 27;

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;

    UsageRepository(JdbcTemplate jdbc, NamedParameterJdbcTemplate named) {
        this.jdbc = jdbc;
        this.named = named;
    }

    /** Which of these keys the request log already has: one SELECT per chunk of keys. */
    Set<UsageKey> existing(Collection<UsageKey> keys) {
        Set<UsageKey> found = new HashSet<>();
        List<UsageKey> all = List.copyOf(keys);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<UsageKey> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            String tuples = String.join(",", java.util.Collections.nCopies(chunk.size(), "(?, ?)"));
            Object[] args = new Object[chunk.size() * 2];
            for (int i = 0; i < chunk.size(); i++) {
                args[2 * i] = chunk.get(i).day();
                args[2 * i + 1] = chunk.get(i).requestId();
            }
            jdbc.query("SELECT day, request_id FROM request_log WHERE (day, request_id) IN (" + tuples + ")",
                    rs -> {
                        found.add(new UsageKey(rs.getObject(1, java.time.LocalDate.class), rs.getString(2)));
                    }, args);
        }
        return found;
    }

    /** One multi-row INSERT per chunk. */
    void insertRequestLog(List<ChargedUsage> rows) {
        for (int from = 0; from < rows.size(); from += CHUNK) {
            List<ChargedUsage> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
            String tuple = "(" + String.join(", ", java.util.Collections.nCopies(COLUMN_COUNT, "?")) + ")";
            String sql = "INSERT INTO request_log (" + COLUMNS + ") VALUES "
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), tuple));
            List<Object> args = new ArrayList<>(chunk.size() * COLUMN_COUNT);
            for (ChargedUsage row : chunk) {
                addRow(args, row);
            }
            jdbc.update(sql, args.toArray());
        }
    }

    private static void addRow(List<Object> args, ChargedUsage row) {
        UsageEvent e = row.event();
        args.add(row.key().day());
        args.add(e.requestId());
        args.add(e.userId());
        args.add(e.keyId());
        args.add(e.channelId());
        args.add(e.relayId());
        args.add(e.relaySeq());
        args.add(e.group());
        args.add(e.modelAsked());
        args.add(e.modelServed());
        args.add(e.dialect());
        args.add(e.provider());
        args.add(e.priceVersion());
        args.add(e.inputTokens());
        args.add(e.cacheReadTokens());
        args.add(e.cacheWriteTokens());
        args.add(e.outputTokens());
        args.add(e.reasoningTokens());
        args.add(row.costMicros());
        args.add(e.estimated());
        args.add(e.status().wireName());
        args.add(e.httpStatus());
        args.add(e.errorClass());
        args.add(e.latencyMs());
        args.add(e.ttftMs());
        args.add(utc(loggedAt(e)));
        args.add(row.batchRef());
    }

    /** The request log's {@code at}: when the request finished, else the event's own time. */
    static java.time.Instant loggedAt(UsageEvent e) {
        return e.finishedAt() != null ? e.finishedAt() : UsageKey.eventTime(e);
    }

    /**
     * Adds the batch's rollups: one multi-row upsert per chunk, rows in primary key order. Token and cost
     * sums of one batch stay far below overflow (the validator caps every count at 10^12).
     */
    void addHourly(HourlyRollups rollups) {
        List<Map.Entry<HourlyRollups.Key, HourlyRollups.Sums>> all = List.copyOf(rollups.sums().entrySet());
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<Map.Entry<HourlyRollups.Key, HourlyRollups.Sums>> chunk = all.subList(from,
                    Math.min(all.size(), from + CHUNK));
            String tuple = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
            String sql = "INSERT INTO usage_hourly (`hour`, user_id, key_id, model, channel_id, requests, input_tokens, "
                    + "cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost_micros, errors) VALUES "
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), tuple))
                    + " ON DUPLICATE KEY UPDATE requests = requests + VALUES(requests), "
                    + "input_tokens = input_tokens + VALUES(input_tokens), "
                    + "cache_read_tokens = cache_read_tokens + VALUES(cache_read_tokens), "
                    + "cache_write_tokens = cache_write_tokens + VALUES(cache_write_tokens), "
                    + "output_tokens = output_tokens + VALUES(output_tokens), "
                    + "reasoning_tokens = reasoning_tokens + VALUES(reasoning_tokens), "
                    + "cost_micros = cost_micros + VALUES(cost_micros), errors = errors + VALUES(errors)";
            List<Object> args = new ArrayList<>(chunk.size() * 13);
            for (Map.Entry<HourlyRollups.Key, HourlyRollups.Sums> entry : chunk) {
                HourlyRollups.Key k = entry.getKey();
                HourlyRollups.Sums s = entry.getValue();
                args.add(k.hour());
                args.add(k.userId());
                args.add(k.keyId());
                args.add(k.model());
                args.add(k.channelId());
                args.add(s.requests);
                args.add(s.inputTokens);
                args.add(s.cacheReadTokens);
                args.add(s.cacheWriteTokens);
                args.add(s.outputTokens);
                args.add(s.reasoningTokens);
                args.add(s.costMicros);
                args.add(s.errors);
            }
            jdbc.update(sql, args.toArray());
        }
    }

    /** Adds spend to many keys: one UPDATE per chunk, in ascending key id order. Missing keys are skipped. */
    void addKeyUsageAll(Map<Long, Long> microsByKey) {
        List<Map.Entry<Long, Long>> all = new ArrayList<>(new java.util.TreeMap<>(microsByKey).entrySet());
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<Map.Entry<Long, Long>> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            List<Object> args = new ArrayList<>(chunk.size() * 3);
            chunk.forEach(e -> {
                args.add(e.getKey());
                args.add(e.getValue());
            });
            chunk.forEach(e -> args.add(e.getKey()));
            jdbc.update("UPDATE api_keys SET used_micros = used_micros + CASE id "
                    + String.join(" ", java.util.Collections.nCopies(chunk.size(), "WHEN ? THEN ?"))
                    + " END WHERE id IN (" + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")",
                    args.toArray());
        }
    }

    /** Adds spend to a key; false when there is no such key. */
    boolean addKeyUsage(long keyId, long micros) {
        return jdbc.update("UPDATE api_keys SET used_micros = used_micros + ? WHERE id = ?", micros, keyId) > 0;
    }

    Map<Long, Long> keysUsed(Collection<Long> keyIds) {
        Map<Long, Long> out = new HashMap<>();
        if (keyIds.isEmpty()) {
            return out;
        }
        named.query("SELECT id, used_micros FROM api_keys WHERE id IN (:ids)", Map.of("ids", List.copyOf(keyIds)),
                rs -> {
                    out.put(rs.getLong(1), rs.getLong(2));
                });
        return out;
    }

    /** Times go to the database as UTC wall-clock values; the session time zone is UTC too. */
    static LocalDateTime utc(java.time.Instant at) {
        return LocalDateTime.ofInstant(at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), ZoneOffset.UTC);
    }

}
