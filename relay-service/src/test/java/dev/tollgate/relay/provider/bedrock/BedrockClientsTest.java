package dev.tollgate.relay.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.snapshot.Channel;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;

class BedrockClientsTest {

    @Test
    void shouldUseConfiguredAccessKeyAndKeyAsSecretWhenConfigHasAccessKeyId() {
        AwsCredentials credentials = BedrockClients.staticCredentials(channel("SECRET", Map.of("accessKeyId", "AKID")));

        assertThat(credentials).isInstanceOf(AwsBasicCredentials.class);
        assertThat(credentials.accessKeyId()).isEqualTo("AKID");
        assertThat(credentials.secretAccessKey()).isEqualTo("SECRET");
    }

    @Test
    void shouldCarrySessionTokenWhenKeyHasOne() {
        AwsCredentials credentials = BedrockClients.staticCredentials(
                channel("SECRET:TOKEN/with+chars=", Map.of("accessKeyId", "ASIA")));

        assertThat(credentials).isInstanceOfSatisfying(AwsSessionCredentials.class, session -> {
            assertThat(session.secretAccessKey()).isEqualTo("SECRET");
            assertThat(session.sessionToken()).isEqualTo("TOKEN/with+chars=");
        });
    }

    @Test
    void shouldReadOneHubKeyWhenConfigHasNoAccessKeyId() {
        Channel channel = channel("AKID|SECRET|eu-central-1", Map.of());

        AwsCredentials credentials = BedrockClients.staticCredentials(channel);

        assertThat(credentials.accessKeyId()).isEqualTo("AKID");
        assertThat(credentials.secretAccessKey()).isEqualTo("SECRET");
        assertThat(BedrockClients.region(channel)).isEqualTo(Region.EU_CENTRAL_1);
    }

    @Test
    void shouldPreferConfiguredRegionAndDefaultToUsEast1() {
        assertThat(BedrockClients.region(channel("AKID|SECRET|eu-central-1", Map.of("region", "us-west-2"))))
                .isEqualTo(Region.US_WEST_2);
        assertThat(BedrockClients.region(channel("SECRET", Map.of("accessKeyId", "AKID"))))
                .isEqualTo(Region.US_EAST_1);
    }

    @Test
    void shouldFailUnreachableWhenChannelHasNoCredentials() {
        assertThatThrownBy(() -> BedrockClients.staticCredentials(channel("SECRET", Map.of())))
                .isInstanceOf(UpstreamFailure.Unreachable.class)
                .hasMessageNotContaining("SECRET");
    }

    @Test
    void shouldUseDefaultChainWhenConfigSaysSo() {
        try (BedrockClients clients = new BedrockClients(Duration.ofSeconds(1), Duration.ofSeconds(1))) {
            assertThat(clients.credentials(channel(null, Map.of("useDefaultCredentials", true))))
                    .isInstanceOf(DefaultCredentialsProvider.class);
        }
    }

    @Test
    void shouldOverrideEndpointOnlyWhenBaseUrlIsNotRegionsAwsEndpoint() {
        assertThat(BedrockClients.endpoint(null, Region.US_EAST_1)).isNull();
        assertThat(BedrockClients.endpoint("https://bedrock-runtime.us-east-1.amazonaws.com/", Region.US_EAST_1))
                .isNull();
        assertThat(BedrockClients.endpoint("http://127.0.0.1:8090/", Region.US_EAST_1))
                .isEqualTo(URI.create("http://127.0.0.1:8090"));
        assertThat(BedrockClients.endpoint("https://vpce-1.bedrock-runtime.us-east-1.vpce.amazonaws.com",
                Region.US_EAST_1)).isEqualTo(URI.create("https://vpce-1.bedrock-runtime.us-east-1.vpce.amazonaws.com"));
    }

    @Test
    void shouldReuseClientUntilChannelVersionChanges() {
        try (BedrockClients clients = new BedrockClients(Duration.ofSeconds(1), Duration.ofSeconds(1))) {
            BedrockRuntimeAsyncClient first = clients.clientFor(channel(1, "SECRET", Map.of("accessKeyId", "AKID")));

            assertThat(clients.clientFor(channel(1, "SECRET", Map.of("accessKeyId", "AKID")))).isSameAs(first);
            BedrockRuntimeAsyncClient second = clients.clientFor(channel(2, "OTHER", Map.of("accessKeyId", "AKID")));
            assertThat(second).isNotSameAs(first);
            // An older snapshot still in flight gets the newer client.
            assertThat(clients.clientFor(channel(1, "SECRET", Map.of("accessKeyId", "AKID")))).isSameAs(second);
            assertThat(clients.size()).isEqualTo(1);
        }
    }

    @Test
    void shouldFailUnreachableWhenBaseUrlIsMalformed() {
        try (BedrockClients clients = new BedrockClients(Duration.ofSeconds(1), Duration.ofSeconds(1))) {
            Channel channel = new Channel(5, "b", "bedrock", "not a url", "SECRET", Map.of("accessKeyId", "AKID"),
                    Set.of(), Map.of(), Set.of(), 0, 1, true, false, false, 1);

            assertThatThrownBy(() -> clients.clientFor(channel)).isInstanceOf(UpstreamFailure.Unreachable.class);
        }
    }

    private static Channel channel(String apiKey, Map<String, Object> config) {
        return new Channel(3, "b", "bedrock", null, apiKey, config, Set.of(), Map.of(), Set.of(), 0, 1, true, false,
                false, 1);
    }

    private static Channel channel(long version, String apiKey, Map<String, Object> config) {
        return new Channel(3, "b", "bedrock", null, apiKey, config, Set.of(), Map.of(), Set.of(), 0, 1, true, false,
                false, version);
    }
}
