package dev.tollgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * deploy/grafana/tollgate.json is valid JSON, and every series it queries is one the services export. The list
 * below is what the services' ITs scrape from /actuator/prometheus (RelayMetricsIT, UsageLedgerIT, AdminApiIT):
 * a renamed metric fails there, and a dashboard query of a name not listed fails here.
 */
class GrafanaDashboardTest {

    private static final String DASHBOARD = "deploy/grafana/tollgate.json";

    /** Prometheus series the services export (histograms as their _bucket/_count/_sum series). */
    static final Set<String> EXPORTED = Set.of(
            // relay
            "tollgate_relay_requests_total",
            "tollgate_relay_request_latency_seconds_bucket",
            "tollgate_relay_request_latency_seconds_count",
            "tollgate_relay_request_latency_seconds_sum",
            "tollgate_relay_ttft_seconds_bucket",
            "tollgate_relay_ttft_seconds_count",
            "tollgate_relay_ttft_seconds_sum",
            "tollgate_relay_tokens_total",
            "tollgate_relay_spend_micros_total",
            "tollgate_relay_requests_inflight",
            "tollgate_relay_streams_open",
            "tollgate_relay_snapshot_loaded",
            "tollgate_relay_snapshot_age_seconds",
            "tollgate_relay_spool_events",
            "tollgate_relay_spool_bytes",
            "tollgate_relay_spool_oldest_age_seconds",
            // ledger
            "tollgate_ledger_batch_apply_seconds_bucket",
            "tollgate_ledger_batch_apply_seconds_count",
            "tollgate_ledger_batch_apply_seconds_sum",
            "tollgate_ledger_batch_size_events_bucket",
            "tollgate_ledger_batch_size_events_count",
            "tollgate_ledger_batch_size_events_sum",
            "tollgate_ledger_usage_records_total",
            "tollgate_ledger_usage_dlq_total",
            "kafka_consumer_fetch_manager_records_lag",
            // admin
            "tollgate_admin_command_roundtrip_seconds_bucket",
            "tollgate_admin_command_roundtrip_seconds_count",
            "tollgate_admin_command_roundtrip_seconds_sum",
            "tollgate_admin_sessions_revocations_pending");

    /** Names of series in a PromQL expression: ours and the Kafka clients'. */
    private static final Pattern SERIES = Pattern.compile("\\b((?:tollgate|kafka)_[a-z0-9_]+)\\b");

    @Test
    void shouldQueryOnlyExportedSeriesWhenTheDashboardIsLoaded() {
        JsonNode dashboard = JsonMapper.builder().build().readTree(Repo.read(DASHBOARD));
        assertThat(dashboard.path("title").asString()).isEqualTo("Tollgate");
        List<String> expressions = new ArrayList<>();
        collectExpressions(dashboard, expressions);
        assertThat(expressions).hasSizeGreaterThan(15);

        Set<String> queried = new TreeSet<>();
        for (String expr : expressions) {
            Matcher m = SERIES.matcher(expr);
            boolean any = false;
            while (m.find()) {
                queried.add(m.group(1));
                any = true;
            }
            assertThat(any).as("expression names a Tollgate series: %s", expr).isTrue();
        }
        assertThat(EXPORTED).containsAll(queried);
        // Every service's metrics are on the dashboard.
        assertThat(queried).anyMatch(n -> n.startsWith("tollgate_relay_"))
                .anyMatch(n -> n.startsWith("tollgate_ledger_"))
                .anyMatch(n -> n.startsWith("tollgate_admin_"))
                .contains("kafka_consumer_fetch_manager_records_lag");
    }

    @Test
    void shouldGiveEveryPanelAUniqueIdAndAPrometheusDatasourceWhenItQueries() {
        JsonNode dashboard = JsonMapper.builder().build().readTree(Repo.read(DASHBOARD));
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("unique id of %s", panel.path("title")).isTrue();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("type").asString()).isEqualTo("prometheus");
                assertThat(target.path("refId").asString()).isNotBlank();
            }
        }
    }

    private static void collectExpressions(JsonNode node, List<String> out) {
        if (node.isObject()) {
            JsonNode expr = node.get("expr");
            if (expr != null && expr.isString()) {
                out.add(expr.asString());
            }
            node.values().forEach(child -> collectExpressions(child, out));
        } else if (node.isArray()) {
            node.forEach(child -> collectExpressions(child, out));
        }
    }
}
