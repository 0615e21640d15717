package dev.tollgate.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class IamTest {

    @Test
    void shouldLetOnlyTheRelayInvokeBedrockModelsWhenRolesAreGranted() {
        List<JsonNode> relay = statements("RelayTaskTaskRole");
        List<String> bedrock = actions(relay).stream().filter(a -> a.startsWith("bedrock:")).toList();
        assertThat(bedrock).containsExactlyInAnyOrder("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream");
        assertThat(actions(statements("LedgerTaskTaskRole"))).noneMatch(a -> a.startsWith("bedrock:"));
        assertThat(actions(statements("AdminTaskTaskRole"))).noneMatch(a -> a.startsWith("bedrock:"));
    }

    @Test
    void shouldScopeKafkaRightsToTheClusterTopicsAndGroupsWhenMskIsUsed() {
        for (String role : List.of("RelayTaskTaskRole", "LedgerTaskTaskRole", "AdminTaskTaskRole")) {
            List<JsonNode> kafka = statements(role).stream()
                    .filter(s -> actions(List.of(s)).stream().anyMatch(a -> a.startsWith("kafka-cluster:")))
                    .toList();
            assertThat(kafka).as(role).isNotEmpty();
            for (JsonNode s : kafka) {
                assertThat(actions(List.of(s))).noneMatch(a -> a.contains("*"));
                assertThat(s.path("Resource").toString()).doesNotContain("\"*\"");
            }
        }
        String relay = statements("RelayTaskTaskRole").toString();
        assertThat(relay).contains(":topic/${Name}/${Uuid}/tollgate.usage.v1")
                .contains("/tollgate.changes.v1").doesNotContain("kafka-cluster:CreateTopic");
        String ledger = statements("LedgerTaskTaskRole").toString();
        assertThat(ledger).contains("kafka-cluster:CreateTopic").contains(":group/${Name}/${Uuid}/tollgate-ledger*");
        for (JsonNode policy : Synthesized.resources("AWS::IAM::Policy").values()) {
            if (policy.toString().contains("kafka-cluster:")) {
                assertThat(policy.path("Condition").asString()).isEqualTo("IsMsk");
            }
        }
    }

    @Test
    void shouldReadOnlyTheirOwnSecretsWhenTasksStart() {
        for (String role : List.of("RelayTaskTaskRole", "LedgerTaskTaskRole", "AdminTaskTaskRole")) {
            assertThat(actions(statements(role))).as(role).noneMatch(a -> a.startsWith("secretsmanager:"));
        }
        for (String task : List.of("Relay", "Ledger", "Admin")) {
            for (JsonNode s : statements(task + "TaskExecutionRole")) {
                if (actions(List.of(s)).contains("secretsmanager:GetSecretValue")) {
                    assertThat(s.path("Resource").toString()).doesNotContain("\"*\"");
                }
            }
        }
        String relaySecrets = statements("RelayTaskExecutionRole").toString();
        assertThat(relaySecrets).contains(LoadBalancerTest.id("AWS::SecretsManager::Secret", "MasterKey"))
                .contains(LoadBalancerTest.id("AWS::SecretsManager::Secret", "KeyRotation"))
                .doesNotContain(LoadBalancerTest.id("AWS::SecretsManager::Secret", "SessionSecret"))
                .doesNotContain(LoadBalancerTest.id("AWS::SecretsManager::Secret", "AdminPassword"));
    }

    @Test
    void shouldGrantNoWildcardActionsWhenAnyRoleIsBuilt() {
        for (JsonNode policy : Synthesized.resources("AWS::IAM::Policy").values()) {
            assertThat(actions(list(policy.path("Properties").path("PolicyDocument").path("Statement"))))
                    .noneMatch(a -> a.equals("*") || a.endsWith(":*"));
        }
    }

    /** Statements of every policy attached to the role whose logical id starts with {@code rolePrefix}. */
    static List<JsonNode> statements(String rolePrefix) {
        String role = LoadBalancerTest.id("AWS::IAM::Role", rolePrefix);
        List<JsonNode> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : Synthesized.resources("AWS::IAM::Policy").entrySet()) {
            for (JsonNode r : e.getValue().path("Properties").path("Roles")) {
                if (role.equals(r.path("Ref").asString())) {
                    out.addAll(list(e.getValue().path("Properties").path("PolicyDocument").path("Statement")));
                }
            }
        }
        return out;
    }

    static List<String> actions(List<JsonNode> statements) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : statements) {
            JsonNode a = s.path("Action");
            if (a.isArray()) {
                a.forEach(x -> out.add(x.asString()));
            } else {
                out.add(a.asString());
            }
        }
        return out;
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
