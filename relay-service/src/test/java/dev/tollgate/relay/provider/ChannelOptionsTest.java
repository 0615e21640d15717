package dev.tollgate.relay.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.relay.snapshot.Channel;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

class ChannelOptionsTest {

    private static Channel channel(Map<String, Object> config) {
        return new Channel(1, "c", "openai", "http://u/v1", "sk", config, Set.of("m"), Map.of(), Set.of("default"),
                0, 1, true, false, false, 1);
    }

    @Test
    void shouldSendExtraHeadersButNeverReplaceAuthOrFraming() {
        Channel channel = channel(Map.of("headers", Map.of("HTTP-Referer", "https://example.com",
                "Authorization", "Bearer stolen", "Content-Length", "1", "X-Title", 7)));
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth("sk-real");

        ChannelOptions.addExtraHeaders(headers, channel);

        assertThat(headers.getFirst("HTTP-Referer")).isEqualTo("https://example.com");
        assertThat(headers.getFirst("X-Title")).isEqualTo("7");
        assertThat(headers.getFirst("Authorization")).isEqualTo("Bearer sk-real");
        assertThat(headers.containsHeader("Content-Length")).isFalse();
    }

    @Test
    void shouldUseChannelsTimeoutWhenSetAndSaneElseTheRelays() {
        Duration relay = Duration.ofSeconds(300);

        assertThat(ChannelOptions.timeout(channel(Map.of("timeoutSeconds", 45)), relay)).hasSeconds(45);
        assertThat(ChannelOptions.timeout(channel(Map.of("timeoutSeconds", "90")), relay)).hasSeconds(90);
        assertThat(ChannelOptions.timeout(channel(Map.of("timeoutSeconds", 0)), relay)).isEqualTo(relay);
        assertThat(ChannelOptions.timeout(channel(Map.of("timeoutSeconds", "soon")), relay)).isEqualTo(relay);
        assertThat(ChannelOptions.timeout(channel(Map.of()), relay)).isEqualTo(relay);
    }
}
