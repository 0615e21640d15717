package dev.tollgate.ledger.journal;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Read-only checks of the ledger's invariants, each side as stored: a balance is the sum of its
 * journal and its version the number of its entries; a user's usage entries sum to minus the cost
 * of the requests they charged; a key's spend is the cost of the charged requests that name it.
 * Each check is one statement, so it sees one consistent snapshot even while batches commit.
 */
@Repository
public class ReconciliationQuery {

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

    /** Everything found; empty lists when the ledger is consistent. */
    public record Report(List<BalanceDifference> balances, List<UsageDifference> usage, List<KeyDifference> keys) {

        public boolean consistent() {
            return balances.isEmpty() && usage.isEmpty() && keys.isEmpty();
        }
    }

    public Report run() {
        return new Report(balanceDifferences(), usageDifferences(), keyDifferences());
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

    /** Per user: Σ usage journal amounts vs minus Σ {@code request_log.cost_micros} of the rows with a batch. */
    public List<UsageDifference> usageDifferences() {
        return jdbc.query("SELECT t.user_id, SUM(t.journal_micros), SUM(t.request_micros) FROM ("
                + "SELECT user_id, amount_micros AS journal_micros, 0 AS request_micros FROM journal "
                + "WHERE kind = 'usage' "
                + "UNION ALL SELECT user_id, 0, cost_micros FROM request_log WHERE batch_ref IS NOT NULL) t "
                + "GROUP BY t.user_id HAVING SUM(t.journal_micros) <> -SUM(t.request_micros) ORDER BY t.user_id",
                (rs, i) -> new UsageDifference(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
    }

    /** Per key: {@code used_micros} vs Σ {@code request_log.cost_micros} of the rows with a batch that name it. */
    public List<KeyDifference> keyDifferences() {
        return jdbc.query("SELECT k.id, k.used_micros, COALESCE(r.total, 0) FROM api_keys k "
                + "LEFT JOIN (SELECT key_id, SUM(cost_micros) AS total FROM request_log WHERE batch_ref IS NOT NULL "
                + "GROUP BY key_id) r ON r.key_id = k.id "
                + "WHERE k.used_micros <> COALESCE(r.total, 0) ORDER BY k.id",
                (rs, i) -> new KeyDifference(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
    }
}
