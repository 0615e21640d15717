package dev.tollgate.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SecretsTest {

    static final List<String> SECRET_VARIABLES = List.of("TOLLGATE_MASTER_KEY", "TOLLGATE_SESSION_SECRET",
            "TOLLGATE_ADMIN_PASSWORD", "TOLLGATE_DB_PASSWORD", "TOLLGATE_DB_USER", "TOLLGATE_MASTER_KEY_ID",
            "TOLLGATE_MASTER_KEYS_OLD");
    static final String[] MASTER_KEYS = {"TOLLGATE_MASTER_KEY", "TOLLGATE_MASTER_KEY_ID", "TOLLGATE_MASTER_KEYS_OLD"};

    @Test
    void shouldNeverPutSecretsInPlainEnvironmentWhenTasksStart() {
        for (String s : List.of("relay", "ledger", "admin")) {
            assertThat(ServicesTest.environment(s).keySet()).doesNotContainAnyElementsOf(SECRET_VARIABLES);
        }
        assertThat(Synthesized.mainTree().toString()).doesNotContain("\"Name\":\"TOLLGATE_MASTER_KEY\",\"Value\"");
    }

    @Test
    void shouldInjectEachServicesSecretsWhenTasksStart() {
        for (String service : List.of("relay", "ledger")) {
            assertThat(secrets(service)).containsOnlyKeys(withMasterKeys("TOLLGATE_DB_USER", "TOLLGATE_DB_PASSWORD"));
        }
        assertThat(secrets("admin")).containsOnlyKeys(withMasterKeys("TOLLGATE_DB_USER", "TOLLGATE_DB_PASSWORD",
                "TOLLGATE_SESSION_SECRET", "TOLLGATE_ADMIN_PASSWORD"));
        String db = Synthesized.resources("AWS::RDS::DBCluster").keySet().iterator().next();
        assertThat(secrets("ledger").get("TOLLGATE_DB_PASSWORD"))
                .contains("\"" + db + "\",\"MasterUserSecret.SecretArn\"").contains(":password::");
        assertThat(secrets("ledger").get("TOLLGATE_DB_USER")).contains(":username::");
        String masterKey = LoadBalancerTest.id("AWS::SecretsManager::Secret", "MasterKey");
        assertThat(secrets("relay").get("TOLLGATE_MASTER_KEY")).isEqualTo("{\"Ref\":\"" + masterKey + "\"}");
    }

    @Test
    void shouldGiveEveryServiceTheKeyIdAndOldKeysFromOneSecretWhenAMasterKeyIsRotated() {
        String rotation = LoadBalancerTest.id("AWS::SecretsManager::Secret", "KeyRotation");
        for (String service : List.of("relay", "ledger", "admin")) {
            // ECS's json-key form: <arn>:<json key>:: (the current version), so one put-secret-value changes both.
            assertThat(secrets(service).get("TOLLGATE_MASTER_KEY_ID")).as(service)
                    .contains("{\"Ref\":\"" + rotation + "\"}").contains(":TOLLGATE_MASTER_KEY_ID::");
            assertThat(secrets(service).get("TOLLGATE_MASTER_KEYS_OLD")).as(service)
                    .contains("{\"Ref\":\"" + rotation + "\"}").contains(":TOLLGATE_MASTER_KEYS_OLD::");
        }
        JsonNode secret = Synthesized.resources("AWS::SecretsManager::Secret").get(rotation);
        // The start value: key id k1 (what the services default to) and no old keys; no secret in the template.
        JsonNode start = Synthesized.JSON.readTree(secret.path("Properties").path("SecretString").asString());
        assertThat(start.path("TOLLGATE_MASTER_KEY_ID").asString()).isEqualTo("k1");
        assertThat(start.path("TOLLGATE_MASTER_KEYS_OLD").asString()).isEmpty();
        assertThat(start.size()).isEqualTo(2);
        assertThat(secret.path("DeletionPolicy").asString()).isEqualTo("Retain");
        assertThat(Synthesized.mainTree().path("Outputs").has("KeyRotationSecret")).isTrue();
        assertThat(Synthesized.mainTree().path("Outputs").has("MasterKeySecret")).isTrue();
    }

    @Test
    void shouldGenerateTheSecretsAndKeepTheMasterKeyWhenTheStackIsDeleted() {
        Map<String, JsonNode> generated = new LinkedHashMap<>(Synthesized.resources("AWS::SecretsManager::Secret"));
        generated.remove(LoadBalancerTest.id("AWS::SecretsManager::Secret", "KeyRotation"));
        assertThat(generated).hasSize(3);
        for (JsonNode s : generated.values()) {
            JsonNode gen = s.path("Properties").path("GenerateSecretString");
            assertThat(gen.path("PasswordLength").asInt()).isGreaterThanOrEqualTo(32);
            assertThat(s.path("Properties").has("SecretString")).isFalse();
        }
        JsonNode masterKey = generated.get(LoadBalancerTest.id("AWS::SecretsManager::Secret", "MasterKey"));
        assertThat(masterKey.path("DeletionPolicy").asString()).isEqualTo("Retain");
    }

    private static String[] withMasterKeys(String... others) {
        String[] all = new String[MASTER_KEYS.length + others.length];
        System.arraycopy(MASTER_KEYS, 0, all, 0, MASTER_KEYS.length);
        System.arraycopy(others, 0, all, MASTER_KEYS.length, others.length);
        return all;
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
