package dev.tollgate.admin.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.admin.web.ApiException;
import dev.tollgate.contracts.json.Json;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A Vertex AI channel: provider gemini, config project/location, a service-account JSON key as its key. */
class VertexChannelRequestTest {

    private static String serviceAccount;

    @BeforeAll
    static void key() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(
                generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        serviceAccount = Json.mapper().writeValueAsString(Map.of("type", "service_account", "project_id", "p1",
                "private_key", pem, "client_email", "sa@p1.iam.gserviceaccount.com",
                "token_uri", "https://oauth2.googleapis.com/token"));
    }

    @Test
    void shouldAcceptAServiceAccountKeyWithABlankBaseUrl() {
        ChannelRequest request = vertex(serviceAccount, Map.of("project", "p1", "location", "us-central1"));

        assertThat(request.validateForCreate()).isSameAs(request);
        assertThat(request.toString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void shouldRefuseAJsonKeyThatIsNoUsableServiceAccount() {
        assertThatThrownBy(() -> vertex("{\"type\":\"service_account\",\"client_email\":\"a@b\"}",
                Map.of("project", "p1")).validateForCreate())
                .isInstanceOf(ApiException.class)
                .hasMessage("apiKey: the service account key has no private_key");
        assertThatThrownBy(() -> vertex("{oops", Map.of()).validateForCreate())
                .hasMessage("apiKey: the service account key is not valid JSON");
    }

    @Test
    void shouldRefuseALocationOrProjectThatIsNoIdentifier() {
        assertThatThrownBy(() -> vertex(serviceAccount, Map.of("location", "us-central1/../x")).validateForCreate())
                .hasMessage("config: config.location is not a Google Cloud location");
        assertThatThrownBy(() -> vertex(serviceAccount, Map.of("project", "a b")).validateForCreate())
                .hasMessage("config: config.project is not a Google Cloud project id");
    }

    @Test
    void shouldLeaveOtherProvidersKeysAlone() {
        ChannelRequest openAi = new ChannelRequest("c", "openai", "", "{not a service account}", null,
                List.of("m"), null, null, null, null, null);

        assertThat(openAi.validateForCreate()).isSameAs(openAi);
    }

    private static ChannelRequest vertex(String key, Map<String, Object> config) {
        return new ChannelRequest("vertex", "gemini", "", key, config, List.of("gemini-2.5-flash"), null, null, null,
                null, null);
    }
}
