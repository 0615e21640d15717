package dev.tollgate.ledger.journal;

import java.time.LocalDateTime;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Read-only checks of the ledger's invariants, each side as stored: a balance is the sum of its
 * journal and its version the number of its entries; a user's usage entries sum to minus the cost
 * of the requests they charged; a key's spend is the cost of the charged requests that name it; the
 * hourly rollups are the sums of the request log (for the hours the log still holds).
 * Each check is one statement, so it sees one consistent snapshot even while batches commit.
 */
@Repository
public class ReconciliationQuery {

    /** Sums of partitions retention has dropped; those of a partition still there are in the log itself. */
    private static final String DROPPED = "partition_name NOT IN (SELECT PARTITION_NAME FROM information_schema.PARTITIONS "
            + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'request_log' AND PARTITION_NAME IS NOT NULL)";

    private final JdbcTemplate jdbc;

    ReconciliationQuery(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A user whose materialised balance or balance version differs from its journal. */
    public record BalanceDifference(long userId, long balanceMicros, long journalSumMicros, long balanceVersion,
            long journalEntries) {
    }

    /** A user whose usage journal entries differ from the costs of the requests they charged. */
    public record UsageDifference(long userId, long usageJournalMicros, long chargedRequestMicros) {
    }

    /** A key whose spend differs from the costs of the charged requests that name it. */
    public record KeyDifference(long keyId, long usedMicros, long chargedRequestMicros) {
    }

    /**
     * An hourly rollup whose sums differ from the request log's rows of that hour, user, key, model and
     * channel: {@code logged} summed from the log, {@code rolledUp} as stored in usage_hourly.
     */
    public record HourlyDifference(LocalDateTime hour, long userId, long keyId, String model, long channelId,
            HourlySums logged, HourlySums rolledUp) {
    }

    /** The measures of one usage_hourly row. */
    public record HourlySums(long requests, long inputTokens, long cacheReadTokens, long cacheWriteTokens,
            long outputTokens, long reasoningTokens, long costMicros, long errors) {
    }

    /** Everything found; empty lists when the ledger is consistent. */
    public record Report(List<BalanceDifference> balances, List<UsageDifference> usage, List<KeyDifference> keys,
            List<HourlyDifference> hourly) {

        public boolean consistent() {
            return balances.isEmpty() && usage.isEmpty() && keys.isEmpty() && hourly.isEmpty();
        }
    }

    public Report run() {
        return new Report(balanceDifferences(), usageDifferences(), keyDifferences(), hourlyDifferences());
    }

    /** How many users the balance checks covered. */
    public long userCount() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM users", Long.class);
        return n == null ? 0 : n;
    }

    /** How many keys the spend check covered. */
    public long keyCount() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM api_keys", Long.class);
        return n == null ? 0 : n;
    }

    /** Per user: {@code balance_micros} vs Σ {@code journal.amount_micros}, {@code balance_version} vs the entry count. */
    public List<BalanceDifference> balanceDifferences() {
        return jdbc.query("SELECT u.id, u.balance_micros, COALESCE(j.total, 0), u.balance_version, COALESCE(j.entries, 0) "
                + "FROM users u LEFT JOIN (SELECT user_id, SUM(amount_micros) AS total, COUNT(*) AS entries "
                + "FROM journal GROUP BY user_id) j ON j.user_id = u.id "
                + "WHERE u.balance_micros <> COALESCE(j.total, 0) OR u.balance_version <> COALESCE(j.entries, 0) "
                + "ORDER BY u.id",
                (rs, i) -> new BalanceDifference(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5)));
    }

    /**
     * Per user: Σ usage journal amounts vs minus Σ {@code request_log.cost_micros} of the rows with a batch
     * (plus what dropped partitions had charged).
     */
    public List<UsageDifference> usageDifferences() {
        return jdbc.query("SELECT t.user_id, SUM(t.journal_micros), SUM(t.request_micros) FROM ("
                + "SELECT user_id, amount_micros AS journal_micros, 0 AS request_micros FROM journal "
                + "WHERE kind = 'usage' "
                + "UNION ALL SELECT user_id, 0, cost_micros FROM request_log WHERE batch_ref IS NOT NULL "
                + "UNION ALL SELECT user_id, 0, charged_micros FROM request_log_dropped WHERE " + DROPPED + ") t "
                + "GROUP BY t.user_id HAVING SUM(t.journal_micros) <> -SUM(t.request_micros) ORDER BY t.user_id",
                (rs, i) -> new UsageDifference(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
    }

    /** Per key: {@code used_micros} vs Σ {@code request_log.cost_micros} of the charged rows that name it (and dropped ones). */
    public List<KeyDifference> keyDifferences() {
        return jdbc.query("SELECT k.id, k.used_micros, COALESCE(r.total, 0) FROM api_keys k "
                + "LEFT JOIN (SELECT c.key_id, SUM(c.cost) AS total FROM ("
                + "SELECT key_id, cost_micros AS cost FROM request_log WHERE batch_ref IS NOT NULL "
                + "UNION ALL SELECT key_id, charged_micros FROM request_log_dropped WHERE " + DROPPED + ") c "
                + "GROUP BY c.key_id) r ON r.key_id = k.id "
                + "WHERE k.used_micros <> COALESCE(r.total, 0) ORDER BY k.id",
                (rs, i) -> new KeyDifference(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
    }

    /**
     * Per hour, user, key, model and channel: usage_hourly vs the request log's sums. Rollups outlive the
     * log's dropped partitions, so only hours from the log's oldest day on are compared.
     */
    public List<HourlyDifference> hourlyDifferences() {
        String measures = "requests, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, "
                + "reasoning_tokens, cost_micros, errors";
        String logSide = "SELECT CAST(DATE_FORMAT(at, '%Y-%m-%d %H:00:00') AS DATETIME) AS h, user_id, key_id, "
                + "COALESCE(model, '') AS model, COALESCE(channel_id, 0) AS channel_id, 0 AS src, 1 AS requests, "
                + "input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost_micros, "
                + "CASE WHEN status IN ('upstream_error', 'rejected') THEN 1 ELSE 0 END AS errors FROM request_log";
        String rollupSide = "SELECT `hour`, user_id, key_id, model, channel_id, 1, " + measures + " FROM usage_hourly "
                + "WHERE `hour` >= (SELECT CAST(MIN(day) AS DATETIME) FROM request_log)";
        StringBuilder sums = new StringBuilder();
        StringBuilder differs = new StringBuilder();
        for (String m : measures.split(", ")) {
            sums.append(", SUM(CASE WHEN t.src = 0 THEN t.").append(m).append(" ELSE 0 END)")
                    .append(", SUM(CASE WHEN t.src = 1 THEN t.").append(m).append(" ELSE 0 END)");
            differs.append(differs.length() == 0 ? "" : " OR ").append("SUM(CASE WHEN t.src = 0 THEN t.").append(m)
                    .append(" ELSE -t.").append(m).append(" END) <> 0");
        }
        return jdbc.query("SELECT t.h, t.user_id, t.key_id, t.model, t.channel_id" + sums + " FROM (" + logSide
                + " UNION ALL " + rollupSide + ") t GROUP BY t.h, t.user_id, t.key_id, t.model, t.channel_id HAVING "
                + differs + " ORDER BY t.h, t.user_id, t.key_id, t.model, t.channel_id",
                (rs, i) -> new HourlyDifference(rs.getObject(1, LocalDateTime.class), rs.getLong(2), rs.getLong(3),
                        rs.getString(4), rs.getLong(5),
                        new HourlySums(rs.getLong(6), rs.getLong(8), rs.getLong(10), rs.getLong(12), rs.getLong(14),
                                rs.getLong(16), rs.getLong(18), rs.getLong(20)),
                        new HourlySums(rs.getLong(7), rs.getLong(9), rs.getLong(11), rs.getLong(13), rs.getLong(15),
                                rs.getLong(17), rs.getLong(19), rs.getLong(21))));
    }
}
