package dev.tollgate.admin.channels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.admin.config.AdminProperties;
import dev.tollgate.admin.web.ApiAssertions;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.CommandEnvelope;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.secrets.SecretBox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelSecrecyTest {

    private static final String MASTER = "master-key-for-tests";
    private static final String UPSTREAM_KEY = "sk-upstream-very-secret-123";

    private final ChannelSecrets secrets = new ChannelSecrets(
            new AdminProperties(Duration.ofSeconds(10), "s", Duration.ofHours(12), MASTER, null, Duration.ofSeconds(2)));

    @Test
    void shouldSendOnlyCiphertextWhenChannelIsCreated() {
        ChannelRequest body = new ChannelRequest("main", "openai", "https://api.openai.com/v1", UPSTREAM_KEY, null,
                List.of("gpt-4o"), null, null, null, null, null).validateForCreate();

        Command.CreateChannel command = ChannelController.toCreate(body, secrets.encrypt(body.apiKey()));
        String wire = new String(EventCodec.encode(CommandEnvelope.of("c1", "user:1", command)), StandardCharsets.UTF_8);

        assertThat(wire).doesNotContain(UPSTREAM_KEY);
        assertThat(command.apiKeyCiphertext()).startsWith("v2.k1.");
        assertThat(SecretBox.fromMasterKey(MASTER).decrypt(command.apiKeyCiphertext())).isEqualTo(UPSTREAM_KEY);
        assertThat(command.groups()).containsExactly("default");
        assertThat(command.priority()).isZero();
        assertThat(command.weight()).isEqualTo(1);
        assertThat(command.enabled()).isTrue();
    }

    @Test
    void shouldNeverShowKeyOrCiphertextWhenChannelIsAnswered() {
        String ciphertext = secrets.encrypt(UPSTREAM_KEY);
        ChannelView view = ChannelView.of(new ChannelView.StoredChannel(3, "main", "openai", "https://x/v1", ciphertext,
                Map.of("region", "us-east-1"), List.of("gpt-4o"), Map.of(), List.of("default"), 0, 1, true, 1,
                Instant.EPOCH, Instant.EPOCH, false, null));

        String json = Json.mapper().writeValueAsString(view);

        assertThat(json).doesNotContain(ciphertext).doesNotContain(UPSTREAM_KEY).doesNotContain("apiKey\"")
                .contains("\"hasApiKey\":true");
    }

    @Test
    void shouldRejectWhenChannelInputIsInvalid() {
        ApiAssertions.assertInvalid(() -> new ChannelRequest("c", "openia", "https://x", null, null,
                List.of("m"), null, null, null, null, null).validateForCreate(), "provider");
        ApiAssertions.assertInvalid(() -> new ChannelRequest("c", "openai", "ftp://x", null, null,
                List.of("m"), null, null, null, null, null).validateForCreate(), "baseUrl");
        ApiAssertions.assertInvalid(() -> new ChannelRequest("c", "openai", "https://x", null, null,
                List.of(), null, null, null, null, null).validateForCreate(), "models");
        ApiAssertions.assertInvalid(() -> new ChannelRequest("c", "bedrock", "https://x", null,
                Map.of("secretAccessKey", "abc"), List.of("m"), null, null, null, null, null).validateForCreate(),
                "config.secretAccessKey");
    }

    @Test
    void shouldAcceptABlankBaseUrlOnlyWhenTheProviderHasADefault() {
        assertThat(new ChannelRequest("c", "deepseek", "", null, null, List.of("m"), null, null, null, null, null)
                .validateForCreate().baseUrl()).isEmpty();
        ApiAssertions.assertInvalid(() -> new ChannelRequest("c", "azure", " ", null, null,
                List.of("m"), null, null, null, null, null).validateForCreate(), "baseUrl");
    }
}
