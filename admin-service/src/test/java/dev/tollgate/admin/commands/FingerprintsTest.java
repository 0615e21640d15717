package dev.tollgate.admin.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.admin.users.UserRequests;
import dev.tollgate.contracts.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FingerprintsTest {

    @Test
    void shouldHashMethodPathAndCanonicalBody() {
        String fingerprint = Fingerprints.of("POST", "/api/users/7/topups",
                new UserRequests.TopUp(5_000_000L, "credit"));

        assertThat(fingerprint).isEqualTo(Fingerprints.sha256Hex(
                "POST|/api/users/7/topups|{\"amountMicros\":5000000,\"note\":\"credit\"}"));
    }

    @Test
    void shouldIgnoreKeyOrderAndWhitespaceWhenBodiesAreTheSame() {
        String a = Fingerprints.of("PATCH", "/api/keys/3",
                Json.mapper().readTree("{\"name\": \"ci\", \"models\": [\"b\", \"a\"], \"quotaMicros\": null}"));
        String b = Fingerprints.of("PATCH", "/api/keys/3",
                Json.mapper().readTree("{\"quotaMicros\":null,\"models\":[\"b\",\"a\"],\"name\":\"ci\"}"));

        assertThat(a).isEqualTo(b);
        Map<String, Object> nested = Map.of("z", Map.of("y", 1, "x", 2), "a", List.of(Map.of("d", 1, "c", 2)));
        assertThat(Fingerprints.canonicalJson(nested))
                .isEqualTo("{\"a\":[{\"c\":2,\"d\":1}],\"z\":{\"x\":2,\"y\":1}}");
    }

    @Test
    void shouldDifferWhenPathMethodOrBodyDiffer() {
        UserRequests.TopUp body = new UserRequests.TopUp(5_000_000L, null);
        String base = Fingerprints.of("POST", "/api/users/7/topups", body);

        assertThat(Fingerprints.of("POST", "/api/users/8/topups", body)).isNotEqualTo(base);
        assertThat(Fingerprints.of("PUT", "/api/users/7/topups", body)).isNotEqualTo(base);
        assertThat(Fingerprints.of("POST", "/api/users/7/topups", new UserRequests.TopUp(6_000_000L, null)))
                .isNotEqualTo(base);
        assertThat(Fingerprints.of("PATCH", "/api/keys/3", Json.mapper().readTree("{\"quotaMicros\": null}")))
                .as("an explicit null clears the quota: another request than an empty one")
                .isNotEqualTo(Fingerprints.of("PATCH", "/api/keys/3", Json.mapper().readTree("{}")));
    }

    @Test
    void shouldLeavePasswordsAndUpstreamKeysOutWhenBodyHasThem() {
        String canonical = Fingerprints.canonicalJson(new UserRequests.CreateUser("ivy", "ivy-password", null, null));
        String channel = Fingerprints.canonicalJson(Map.of("name", "sim", "apiKey", "sk-upstream-secret"));

        assertThat(canonical).doesNotContain("ivy-password").contains("\"username\":\"ivy\"");
        assertThat(channel).doesNotContain("sk-upstream-secret").contains("\"name\":\"sim\"");
    }

    @Test
    void shouldHashAnEmptyBodyWhenCallHasNone() {
        assertThat(Fingerprints.of("DELETE", "/api/keys/3", null))
                .isEqualTo(Fingerprints.sha256Hex("DELETE|/api/keys/3|"))
                .isNotEqualTo(Fingerprints.of("DELETE", "/api/keys/4", null));
    }
}
