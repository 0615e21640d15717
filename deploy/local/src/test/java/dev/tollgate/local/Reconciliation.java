package dev.tollgate.local;

import dev.tollgate.testsupport.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ledger's reconciliation, as the fault tests read it: {@code GET /actuator/reconciliation} on the
 * ledger's management port when it answers 200, else the same checks in SQL: per user the materialised
 * balance vs Σ journal, per user the usage journal vs Σ charged request costs, per key the spend vs Σ
 * charged request costs naming it.
 */
final class Reconciliation {

    /** What was found, and where from ({@code endpoint} or {@code sql}). */
    record Report(String source, List<String> differences) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private static final String BALANCES = "SELECT u.id, u.balance_micros, COALESCE(j.total, 0) FROM users u "
            + "LEFT JOIN (SELECT user_id, SUM(amount_micros) AS total FROM journal GROUP BY user_id) j "
            + "ON j.user_id = u.id WHERE u.balance_micros <> COALESCE(j.total, 0)";
    private static final String USAGE = "SELECT t.user_id, SUM(t.journal_micros), SUM(t.request_micros) FROM ("
            + "SELECT user_id, amount_micros AS journal_micros, 0 AS request_micros FROM journal WHERE kind = 'usage' "
            + "UNION ALL SELECT user_id, 0, cost_micros FROM request_log WHERE batch_ref IS NOT NULL) t "
            + "GROUP BY t.user_id HAVING SUM(t.journal_micros) <> -SUM(t.request_micros)";
    private static final String KEYS = "SELECT k.id, k.used_micros, COALESCE(r.total, 0) FROM api_keys k "
            + "LEFT JOIN (SELECT key_id, SUM(cost_micros) AS total FROM request_log WHERE batch_ref IS NOT NULL "
            + "GROUP BY key_id) r ON r.key_id = k.id WHERE k.used_micros <> COALESCE(r.total, 0)";

    private Reconciliation() {
    }

    static Report run(String ledgerUrl, TestDatabase db) {
        JsonNode answer = endpoint(ledgerUrl);
        if (answer != null && answer.has("differences")) {
            List<String> out = new ArrayList<>();
            answer.path("differences").forEach(d -> out.add(d.toString()));
            return new Report("endpoint", out);
        }
        return new Report("sql", sql(db));
    }

    private static JsonNode endpoint(String ledgerUrl) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(ledgerUrl + "/actuator/reconciliation"))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static List<String> sql(TestDatabase db) {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            collect(st, BALANCES, "user %d: balance %d, journal sum %d", out);
            collect(st, USAGE, "user %d: usage journal %d, charged requests %d", out);
            collect(st, KEYS, "key %d: used %d, charged requests %d", out);
        } catch (SQLException e) {
            throw new IllegalStateException("reconciliation query failed: " + e.getMessage(), e);
        }
        return out;
    }

    private static void collect(Statement st, String sql, String format, List<String> out) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(String.format(format, rs.getLong(1), rs.getLong(2), rs.getLong(3)));
            }
        }
    }
}
