package dev.tollgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the ledger wrote, read straight from MySQL (the test's own connection, never through a fault proxy). */
final class LedgerRows {

    /** A request id's rows in request_log: how many, their cost, whether every one is charged by a batch. */
    record Logged(String requestId, int copies, long costMicros, boolean charged) {
    }

    private LedgerRows() {
    }

    static Map<String, Logged> requestLog(TestDatabase db, long userId) {
        String sql = "SELECT request_id, COUNT(*), SUM(cost_micros), "
                + "SUM(CASE WHEN batch_ref IS NULL AND cost_micros <> 0 THEN 1 ELSE 0 END) "
                + "FROM request_log WHERE user_id = ? GROUP BY request_id";
        Map<String, Logged> out = new HashMap<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Logged(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4) == 0));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    static long balance(TestDatabase db, long userId) {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT balance_micros FROM users WHERE id = ?")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("user " + userId + " exists").isTrue();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until every request that got a 200 is in the request log and charged, then checks it is there exactly
     * once at {@code costEach}, that nothing else was charged (except, at most, requests whose answer the client
     * never saw), and that the balance is the top-up minus what was charged. Returns the total charged.
     */
    static long assertEveryOkChargedOnce(TestDatabase db, long userId, long topUp, List<RelayCalls.Answer> answers,
                                         long costEach, Duration deadline) {
        Set<String> ok = LoadDriver.okIds(answers);
        assertThat(ok).as("requests answered 200").isNotEmpty();
        assertThat(ok).as("every 200 carries an x-request-id").doesNotContainNull();
        long unanswered = answers.stream().filter(a -> a.status() == -1).count();
        await("every 200 of " + ok.size() + " charged in request_log").atMost(deadline)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Map<String, Logged> log = requestLog(db, userId);
                    return ok.stream().allMatch(id -> log.containsKey(id) && log.get(id).charged());
                });
        Map<String, Logged> log = requestLog(db, userId);
        long okCost = 0;
        for (String id : ok) {
            Logged row = log.get(id);
            assertThat(row.copies()).as("rows of request " + id).isEqualTo(1);
            assertThat(row.costMicros()).as("cost of request " + id).isEqualTo(costEach);
            okCost += row.costMicros();
        }
        long extraCharged = log.values().stream()
                .filter(l -> !ok.contains(l.requestId()) && l.costMicros() != 0)
                .count();
        assertThat(extraCharged).as("charged requests the client never got a 200 for").isLessThanOrEqualTo(unanswered);
        long allCost = log.values().stream().mapToLong(Logged::costMicros).sum();
        assertThat(LedgerRows.balance(db, userId)).as("balance = top-up − Σ request costs").isEqualTo(topUp - allCost);
        assertThat(allCost).isGreaterThanOrEqualTo(okCost);
        return allCost;
    }
}
