package dev.tollgate.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import tools.jackson.databind.JsonNode;

class ServicesTest {

    @Test
    void shouldRebalanceAndRollBackWhenAnyServiceDeploys() {
        Map<String, JsonNode> services = Synthesized.resources("AWS::ECS::Service");
        assertThat(services).hasSize(3);
        for (JsonNode service : services.values()) {
            JsonNode p = service.path("Properties");
            assertThat(p.path("AvailabilityZoneRebalancing").asString()).isEqualTo("ENABLED");
            assertThat(p.path("LaunchType").asString()).isEqualTo("FARGATE");
            JsonNode breaker = p.path("DeploymentConfiguration").path("DeploymentCircuitBreaker");
            assertThat(breaker.path("Enable").asBoolean()).isTrue();
            assertThat(breaker.path("Rollback").asBoolean()).isTrue();
            assertThat(p.path("DeploymentConfiguration").path("MaximumPercent").asInt()).isGreaterThan(100);
            assertThat(p.path("NetworkConfiguration").path("AwsvpcConfiguration").path("AssignPublicIp").asString())
                    .isEqualTo("DISABLED");
        }
    }

    @Test
    void shouldRunOneLedgerAndLetAutoscalingOwnTheRelayCountWhenDeployed() {
        JsonNode ledger = service("Ledger");
        assertThat(ledger.path("Properties").path("DesiredCount").asInt()).isEqualTo(1);
        assertThat(ledger.path("Properties").has("LoadBalancers")).isFalse();
        assertThat(service("Relay").path("Properties").has("DesiredCount")).isFalse();
        assertThat(service("Admin").path("Properties").path("LoadBalancers")).hasSize(1);

        Synthesized.main().hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Map.of(
                "MinCapacity", Map.of("Ref", "RelayMinTasks"),
                "MaxCapacity", Map.of("Ref", "RelayMaxTasks"),
                "ScalableDimension", "ecs:service:DesiredCount"));
        Synthesized.main().hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Match.objectLike(Map.of(
                "PolicyType", "TargetTrackingScaling",
                "TargetTrackingScalingPolicyConfiguration", Match.objectLike(Map.of(
                        "PredefinedMetricSpecification", Map.of(
                                "PredefinedMetricType", "ECSServiceAverageCPUUtilization"))))));
        Synthesized.main().hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Match.objectLike(Map.of(
                "PolicyType", "TargetTrackingScaling",
                "TargetTrackingScalingPolicyConfiguration", Match.objectLike(Map.of(
                        "PredefinedMetricSpecification", Match.objectLike(Map.of(
                                "PredefinedMetricType", "ALBRequestCountPerTarget")))))));
    }

    @Test
    void shouldPointRelayAndAdminAtTheReaderAndTheLedgerAtTheWriterWhenReadingMysql() {
        String db = Synthesized.resources("AWS::RDS::DBCluster").keySet().iterator().next();
        assertThat(environment("relay").get("TOLLGATE_DB_HOST"))
                .isEqualTo("{\"Fn::GetAtt\":[\"" + db + "\",\"ReadEndpoint.Address\"]}");
        assertThat(environment("admin").get("TOLLGATE_DB_HOST"))
                .isEqualTo("{\"Fn::GetAtt\":[\"" + db + "\",\"ReadEndpoint.Address\"]}");
        assertThat(environment("ledger").get("TOLLGATE_DB_HOST"))
                .isEqualTo("{\"Fn::GetAtt\":[\"" + db + "\",\"Endpoint.Address\"]}");
        for (String s : List.of("relay", "ledger", "admin")) {
            assertThat(environment(s)).containsEntry("TOLLGATE_DB_NAME", "\"tollgate\"")
                    .containsKeys("TOLLGATE_DB_PORT", "TOLLGATE_KAFKA_BOOTSTRAP", "TOLLGATE_KAFKA_AUTH");
        }
        assertThat(environment("relay")).containsEntry("TOLLGATE_RELAY_PORT", "\"8080\"");
        assertThat(environment("admin")).containsEntry("TOLLGATE_ADMIN_PORT", "\"8081\"");
    }

    @Test
    void shouldGiveEveryServiceTheTracingParametersWhenSynthesized() {
        for (String s : List.of("relay", "ledger", "admin")) {
            assertThat(environment(s)).containsEntry("TOLLGATE_OTLP_ENDPOINT", "{\"Ref\":\"OtlpEndpoint\"}")
                    .containsEntry("TOLLGATE_TRACE_SAMPLING", "{\"Ref\":\"TraceSampling\"}");
        }
        assertThat(Synthesized.mainTree().path("Parameters").path("OtlpEndpoint").path("Default").asString())
                .as("tracing is off unless an endpoint is given").isEmpty();
    }

    @Test
    void shouldKeepTheRelayUpstreamTimeoutBelowCloudFrontsWhenTheReadTimeoutChanges() {
        assertThat(environment("relay").get("TOLLGATE_RELAY_UPSTREAMTIMEOUT"))
                .isEqualTo("{\"Fn::FindInMap\":[\"RelayTimeouts\",{\"Ref\":\"OriginReadTimeout\"},\"Upstream\"]}");
        JsonNode mapping = Synthesized.mainTree().path("Mappings").path("RelayTimeouts");
        List<String> allowed = Synthesized.mainTree().path("Parameters").path("OriginReadTimeout")
                .path("AllowedValues").valueStream().map(JsonNode::asString).toList();
        assertThat(allowed).isNotEmpty();
        for (String readTimeout : allowed) {
            String upstream = mapping.path(readTimeout).path("Upstream").asString();
            assertThat(upstream).as("relay timeout for %s s", readTimeout).endsWith("s");
            int relaySeconds = Integer.parseInt(upstream.substring(0, upstream.length() - 1));
            assertThat(relaySeconds).isPositive().isLessThan(Integer.parseInt(readTimeout));
            assertThat(relaySeconds).isLessThan(TollgateStack.ALB_IDLE_TIMEOUT_SECONDS);
        }
    }

    @Test
    void shouldSendLogsToCloudWatchWithRetentionWhenTasksRun() {
        for (String s : List.of("relay", "ledger", "admin")) {
            JsonNode logging = container(s).path("LogConfiguration");
            assertThat(logging.path("LogDriver").asString()).isEqualTo("awslogs");
        }
        for (JsonNode group : Synthesized.resources("AWS::Logs::LogGroup").values()) {
            assertThat(group.path("Properties").path("RetentionInDays").asInt()).isBetween(1, 400);
        }
    }

    static JsonNode service(String id) {
        return Synthesized.resources("AWS::ECS::Service").entrySet().stream()
                .filter(e -> e.getKey().startsWith(id + "Service"))
                .map(Map.Entry::getValue).findFirst().orElseThrow();
    }

    static JsonNode container(String name) {
        for (JsonNode task : Synthesized.resources("AWS::ECS::TaskDefinition").values()) {
            for (JsonNode c : task.path("Properties").path("ContainerDefinitions")) {
                if (name.equals(c.path("Name").asString())) {
                    return c;
                }
            }
        }
        throw new AssertionError("no container " + name);
    }

    /** Environment of a container, values as compact JSON. */
    static Map<String, String> environment(String name) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : container(name).path("Environment")) {
            env.put(e.path("Name").asString(), e.path("Value").toString());
        }
        return env;
    }
}
