package dev.tollgate.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SecretsTest {

    static final List<String> SECRET_VARIABLES = List.of("TOLLGATE_MASTER_KEY", "TOLLGATE_SESSION_SECRET",
            "TOLLGATE_ADMIN_PASSWORD", "TOLLGATE_DB_PASSWORD", "TOLLGATE_DB_USER");

    @Test
    void shouldNeverPutSecretsInPlainEnvironmentWhenTasksStart() {
        for (String s : List.of("relay", "ledger", "admin")) {
            assertThat(ServicesTest.environment(s).keySet()).doesNotContainAnyElementsOf(SECRET_VARIABLES);
        }
        assertThat(Synthesized.mainTree().toString()).doesNotContain("\"Name\":\"TOLLGATE_MASTER_KEY\",\"Value\"");
    }

    @Test
    void shouldInjectEachServicesSecretsWhenTasksStart() {
        assertThat(secrets("relay")).containsOnlyKeys("TOLLGATE_MASTER_KEY", "TOLLGATE_DB_USER", "TOLLGATE_DB_PASSWORD");
        assertThat(secrets("ledger")).containsOnlyKeys("TOLLGATE_MASTER_KEY", "TOLLGATE_DB_USER", "TOLLGATE_DB_PASSWORD");
        assertThat(secrets("admin")).containsOnlyKeys("TOLLGATE_MASTER_KEY", "TOLLGATE_DB_USER", "TOLLGATE_DB_PASSWORD",
                "TOLLGATE_SESSION_SECRET", "TOLLGATE_ADMIN_PASSWORD");
        String db = Synthesized.resources("AWS::RDS::DBCluster").keySet().iterator().next();
        assertThat(secrets("ledger").get("TOLLGATE_DB_PASSWORD"))
                .contains("\"" + db + "\",\"MasterUserSecret.SecretArn\"").contains(":password::");
        assertThat(secrets("ledger").get("TOLLGATE_DB_USER")).contains(":username::");
        String masterKey = LoadBalancerTest.id("AWS::SecretsManager::Secret", "MasterKey");
        assertThat(secrets("relay").get("TOLLGATE_MASTER_KEY")).isEqualTo("{\"Ref\":\"" + masterKey + "\"}");
    }

    @Test
    void shouldGenerateTheSecretsAndKeepTheMasterKeyWhenTheStackIsDeleted() {
        Map<String, JsonNode> generated = Synthesized.resources("AWS::SecretsManager::Secret");
        assertThat(generated).hasSize(3);
        for (JsonNode s : generated.values()) {
            JsonNode gen = s.path("Properties").path("GenerateSecretString");
            assertThat(gen.path("PasswordLength").asInt()).isGreaterThanOrEqualTo(32);
            assertThat(s.path("Properties").has("SecretString")).isFalse();
        }
        JsonNode masterKey = generated.get(LoadBalancerTest.id("AWS::SecretsManager::Secret", "MasterKey"));
        assertThat(masterKey.path("DeletionPolicy").asString()).isEqualTo("Retain");
    }

    /** Secrets of a container: name to ValueFrom as compact JSON. */
    static Map<String, String> secrets(String name) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode s : ServicesTest.container(name).path("Secrets")) {
            out.put(s.path("Name").asString(), s.path("ValueFrom").toString());
        }
        return out;
    }
}
