package dev.tollgate.relay.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.chat.EmbeddingRequest;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.snapshot.Channel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where a {@code gemini} channel's call goes and how it authenticates, AI Studio or Vertex AI (regional, global,
 * project from the key, overrides, express mode; chat and embeddings), from golden-file cases in
 * {@code vertex-targets.json}. A case's key {@code SERVICE_ACCOUNT} stands for a service-account JSON key of project
 * {@code key-project}; {@code embeddings: true} makes it an embeddings call.
 */
class VertexTargetGoldenTest {

    private static String serviceAccount;

    @BeforeAll
    static void key() throws Exception {
        serviceAccount = VertexTokensTest.serviceAccountJson("relay@key-project.iam.gserviceaccount.com",
                "https://oauth2.example.test/token").replace("\"project_id\":\"p\"", "\"project_id\":\"key-project\"");
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode entry : Golden.json("vertex-targets.json")) {
            cases.add(Arguments.of(entry.path("case").asString(), entry));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldBuildTheUrlAndAuthenticationOfTheGoldenCase(String name, JsonNode entry) {
        GeminiAdapter adapter = new GeminiAdapter(WebClient.create(), new VertexTokens(tokenEndpoint(),
                Clock.systemUTC()));
        UpstreamCall call = call(entry);
        boolean stream = entry.path("stream").asBoolean();

        if (entry.has("error")) {
            assertThatThrownBy(() -> adapter.target(call, stream).block(Duration.ofSeconds(5)))
                    .isInstanceOf(UpstreamFailure.Unreachable.class)
                    .hasMessage(entry.path("error").asString());
            return;
        }
        GeminiAdapter.Target target = adapter.target(call, stream).block(Duration.ofSeconds(5));
        HttpHeaders headers = new HttpHeaders();
        target.auth().accept(headers);

        assertThat(target.url()).isEqualTo(entry.path("url").asString());
        assertThat(headers.headerNames()).containsExactly(entry.path("header").asString());
        assertThat(headers.getFirst(entry.path("header").asString())).isEqualTo(entry.path("value").asString());
    }

    private static UpstreamCall call(JsonNode entry) {
        String key = entry.path("key").asString();
        @SuppressWarnings("unchecked")
        Map<String, Object> config = Json.mapper().convertValue(entry.path("config"), Map.class);
        Channel channel = new Channel(1, "vertex", "gemini", entry.path("baseUrl").asString(null),
                "SERVICE_ACCOUNT".equals(key) ? serviceAccount : key, config, Set.of("m"),
                Map.of("m", entry.path("model").asString()), Set.of("default"), 0, 1, true, false, false, 1);
        ObjectNode tree = Json.mapper().createObjectNode();
        if (entry.path("embeddings").asBoolean()) {
            return UpstreamCall.embeddings(channel, Dialect.OPENAI, tree, "{}".getBytes(StandardCharsets.UTF_8), "m",
                    new EmbeddingRequest(List.of(EmbeddingRequest.Input.of("hi")), null));
        }
        return new UpstreamCall(channel, Dialect.GEMINI, tree, "{}".getBytes(StandardCharsets.UTF_8), "m", false);
    }

    /** A token endpoint that grants {@code token-1}. */
    private static WebClient tokenEndpoint() {
        return WebClient.builder()
                .exchangeFunction(request -> Mono.just(ClientResponse.create(HttpStatus.OK)
                        .header(HttpHeaders.CONTENT_TYPE, "application/json")
                        .body("{\"access_token\":\"token-1\",\"expires_in\":3600}")
                        .build()))
                .build();
    }
}
