package dev.tollgate.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

class KeyAuthenticatorTest {

    private static HttpHeaders headers(String name, String value) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(name, value);
        return headers;
    }

    @Test
    void shouldReadBearerKeyWhenOpenAiClientSendsAuthorization() {
        assertThat(KeyAuthenticator.presentedKey(headers("Authorization", "Bearer tg-abc"))).isEqualTo("tg-abc");
    }

    @Test
    void shouldReadKeyHeaderWhenAnthropicAzureOrGeminiClientSendsIt() {
        assertThat(KeyAuthenticator.presentedKey(headers("x-api-key", "tg-anthropic"))).isEqualTo("tg-anthropic");
        assertThat(KeyAuthenticator.presentedKey(headers("api-key", "tg-azure"))).isEqualTo("tg-azure");
        assertThat(KeyAuthenticator.presentedKey(headers("x-goog-api-key", "tg-gemini"))).isEqualTo("tg-gemini");
    }

    @Test
    void shouldPreferBearerWhenBothAreSent() {
        HttpHeaders headers = headers("Authorization", "Bearer tg-bearer");
        headers.set("x-api-key", "tg-other");

        assertThat(KeyAuthenticator.presentedKey(headers)).isEqualTo("tg-bearer");
    }

    @Test
    void shouldFindNoKeyWhenHeadersAreMissingOrBlank() {
        assertThat(KeyAuthenticator.presentedKey(new HttpHeaders())).isNull();
        assertThat(KeyAuthenticator.presentedKey(headers("x-api-key", "  "))).isNull();
        assertThat(KeyAuthenticator.presentedKey(headers("Authorization", "Basic abc"))).isNull();
    }
}
