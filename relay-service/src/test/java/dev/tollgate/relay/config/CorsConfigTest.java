package dev.tollgate.relay.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

class CorsConfigTest {

    private static final String UI = "http://127.0.0.1:8081";
    // A whole URL: CORS compares the Origin with the request's own scheme, host and port.
    private static final String CHAT = "http://relay.test:8080/v1/chat/completions";

    private static WebTestClient relay(String origins) {
        return WebTestClient.bindToRouterFunction(RouterFunctions.route()
                        .POST("/v1/chat/completions", r -> ServerResponse.ok().header("x-request-id", "r-1").build())
                        .build())
                .webFilter(new CorsConfig().relayCors(origins))
                .build();
    }

    @Test
    void shouldAnswerAPreflightFromAnyOriginWithoutCredentialsByDefault() {
        relay("*").method(HttpMethod.OPTIONS).uri(CHAT)
                .header(HttpHeaders.ORIGIN, UI)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization,content-type")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, UI)
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS);
    }

    @Test
    void shouldAllowTheKeyHeadersOfTheAnthropicAndGeminiDialectsInAPreflight() {
        // The playground sends the key as each dialect's SDK does: x-api-key + anthropic-version, x-goog-api-key.
        relay("*").method(HttpMethod.OPTIONS).uri("http://relay.test:8080/v1/messages")
                .header(HttpHeaders.ORIGIN, UI)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "anthropic-version,content-type,x-api-key")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().value(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS,
                        v -> assertThat(v).contains("x-api-key", "anthropic-version"));
        relay("*").method(HttpMethod.OPTIONS)
                .uri("http://relay.test:8080/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")
                .header(HttpHeaders.ORIGIN, UI)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "content-type,x-goog-api-key")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().value(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS,
                        v -> assertThat(v).contains("x-goog-api-key"));
    }

    @Test
    void shouldExposeTheRequestIdToBrowserCallers() {
        relay("*").post().uri(CHAT).header(HttpHeaders.ORIGIN, UI).exchange()
                .expectStatus().isOk()
                .expectHeader().value(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, v -> assertThat(v).contains("x-request-id"));
    }

    @Test
    void shouldRefuseOtherOriginsWhenNarrowedAndAllWhenSwitchedOff() {
        relay(UI + ", https://ui.example.com").method(HttpMethod.OPTIONS).uri(CHAT)
                .header(HttpHeaders.ORIGIN, "https://evil.example.com")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .exchange()
                .expectStatus().isForbidden();
        relay("none").post().uri(CHAT).header(HttpHeaders.ORIGIN, UI).exchange()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
        assertThat(CorsConfig.parse(" a , b ,")).containsExactly("a", "b");
    }
}
