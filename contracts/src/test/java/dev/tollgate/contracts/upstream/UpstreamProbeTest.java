package dev.tollgate.contracts.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.simulator.RecordedRequest;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpstreamProbeTest {

    private static final String KEY = "sk-probe-Secret0123456789abcdef";
    private static final Simulator sim = Simulator.start(0);
    private final UpstreamProbe probe = new UpstreamProbe(Duration.ofSeconds(2), Duration.ofSeconds(5));

    @BeforeEach
    void reset() {
        sim.reset();
        sim.config(SimulatorConfig.defaults().withModels(List.of("gpt-4o-mini", "claude-sonnet-4")));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void shouldListOpenAiModelsWithBearerKeyWhenUpstreamAnswers() {
        List<String> models = probe.models("openai", sim.baseUrl(), KEY, Map.of());

        assertThat(models).containsExactly("gpt-4o-mini", "claude-sonnet-4");
        RecordedRequest request = sim.lastRequest();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.decodedPath()).isEqualTo("/v1/models");
        assertThat(request.authScheme()).isEqualTo("Bearer");
        assertThat(request.apiKey()).isFalse();
    }

    @Test
    void shouldListAnthropicModelsWithApiKeyAndVersionWhenUpstreamAnswers() {
        List<String> models = probe.models("anthropic", sim.anthropicBaseUrl(), KEY, Map.of());

        assertThat(models).containsExactly("gpt-4o-mini", "claude-sonnet-4");
        RecordedRequest request = sim.lastRequest();
        assertThat(request.apiKey()).isTrue();
        assertThat(request.header("anthropic-version")).isEqualTo(UpstreamProbe.ANTHROPIC_VERSION);
        assertThat(request.authorization()).isFalse();
    }

    @Test
    void shouldSucceedWithOneTokenChatWhenModelIsGiven() {
        ProbeResult openAi = probe.probe("deepseek", sim.baseUrl() + "/", KEY, Map.of(), "gpt-4o-mini");
        assertThat(openAi.ok()).as(openAi.message()).isTrue();
        assertThat(openAi.status()).isEqualTo(200);
        assertThat(sim.lastRequest().decodedPath()).isEqualTo("/v1/chat/completions");
        assertThat(sim.lastRequest().body().path("max_tokens").asInt()).isEqualTo(1);
        assertThat(sim.lastRequest().header("User-Agent")).as("probes say who they are").isEqualTo(
                UpstreamProbe.USER_AGENT);

        ProbeResult anthropic = probe.probe("anthropic", sim.anthropicBaseUrl(), KEY, Map.of(), "claude-sonnet-4");
        assertThat(anthropic.ok()).as(anthropic.message()).isTrue();
        assertThat(sim.lastRequest().decodedPath()).isEqualTo("/v1/messages");
        assertThat(sim.lastRequest().apiKey()).isTrue();
    }

    @Test
    void shouldReportRejectedCredentialsWithoutTheKeyWhenUpstreamAnswers401() {
        sim.config(SimulatorConfig.defaults().withFailure(401, 0));

        ProbeResult result = probe.probe("openai", sim.baseUrl(), KEY, Map.of(), "gpt-4o-mini");

        assertThat(result.ok()).isFalse();
        assertThat(result.verdict()).isEqualTo(ProbeResult.Verdict.CREDENTIALS_REJECTED);
        assertThat(result.status()).isEqualTo(401);
        assertThat(result.message()).contains("401").doesNotContain(KEY);
    }

    @Test
    void shouldReportRejectedCredentialsWhenGoogleAnswersItsDeadKey400() {
        sim.config(SimulatorConfig.defaults().withFailure(401, 0));

        ProbeResult result = probe.probe("gemini", sim.geminiBaseUrl(), KEY, Map.of(), "gemini-2.5-flash");

        assertThat(result.status()).isEqualTo(400);
        assertThat(result.verdict()).isEqualTo(ProbeResult.Verdict.CREDENTIALS_REJECTED);
        assertThat(result.message()).doesNotContain(KEY);
    }

    @Test
    void shouldThrowWithTheResultWhenListingIsRefused() {
        assertThatThrownBy(() -> probe.models("openai", "http://127.0.0.1:" + sim.port() + "/nowhere", KEY, Map.of()))
                .isInstanceOfSatisfying(ProbeFailedException.class,
                        e -> assertThat(e.result().status()).isEqualTo(404));
    }

    @Test
    void shouldReportUnreachableWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProbeResult result = probe.probe("openai", "http://127.0.0.1:" + port + "/v1", KEY, Map.of());

        assertThat(result.verdict()).isEqualTo(ProbeResult.Verdict.UNREACHABLE);
        assertThat(result.status()).isZero();
    }

    @Test
    void shouldAnswerUnsupportedForBedrock() {
        ProbeResult result = probe.probe("bedrock", sim.bedrockEndpoint(), KEY, Map.of("region", "us-east-1"));

        assertThat(result.supported()).isFalse();
        assertThat(sim.requests()).isEmpty();
    }

    @Test
    void shouldScrubKeysButKeepModelNamesWhenUpstreamMessageNamesThem() {
        String scrubbed = ProbeMessages.scrub("Incorrect API key provided: sk-proj-abcDEF123456. Model "
                + "gpt-4o-mini-2024-07-18 token AbCdEf0123456789XyZw0000 " + KEY, KEY);

        assertThat(scrubbed).doesNotContain("sk-proj", "AbCdEf0123456789", KEY).contains("gpt-4o-mini-2024-07-18");
    }

    @Test
    void shouldCallAnAccountProblemByItsNameWhenUpstreamSaysInsufficientQuota() {
        assertThat(ProbeMessages.verdict(429, "You exceeded your current quota (insufficient_quota)"))
                .isEqualTo(ProbeResult.Verdict.ACCOUNT_PROBLEM);
        assertThat(ProbeMessages.verdict(429, "slow down")).isEqualTo(ProbeResult.Verdict.UPSTREAM_ERROR);
        assertThat(ProbeMessages.verdict(402, null)).isEqualTo(ProbeResult.Verdict.ACCOUNT_PROBLEM);
    }
    @Test
    void shouldProbeTheDeploymentWithApiKeyWhenAzureChannelUsesADatedVersion() {
        Map<String, Object> config = Map.of("apiVersion", "2024-10-21", "deployments", Map.of("gpt-4o-mini", "dep-mini"));

        ProbeResult result = probe.probe("azure", sim.azureBaseUrl(), KEY, config, "gpt-4o-mini");

        assertThat(result.ok()).as(result.message()).isTrue();
        RecordedRequest request = sim.lastRequest();
        assertThat(request.path()).isEqualTo("/openai/deployments/dep-mini/chat/completions");
        assertThat(request.query()).isEqualTo("api-version=2024-10-21");
        assertThat(request.header("api-key")).isEqualTo("(present)");
        assertThat(request.authorization()).isFalse();
        assertThat(request.body().path("max_completion_tokens").asInt()).isEqualTo(1);
    }

    @Test
    void shouldProbeWithTheDeploymentAsModelWhenAzureChannelUsesV1() {
        ProbeResult result = probe.probe("azure", sim.azureBaseUrl() + "/openai/v1/", KEY,
                Map.of("deployments", Map.of("gpt-4o-mini", "dep-mini")), "gpt-4o-mini");

        assertThat(result.ok()).as(result.message()).isTrue();
        assertThat(sim.lastRequest().path()).isEqualTo("/openai/v1/chat/completions");
        assertThat(sim.lastRequest().body().path("model").asString()).isEqualTo("dep-mini");
        assertThat(probe.models("azure", sim.azureBaseUrl(), KEY, Map.of("apiVersion", "v1")))
                .contains("gpt-4o-mini");
        assertThat(sim.lastRequest().path()).isEqualTo("/openai/v1/models");
    }

    @Test
    void shouldReportRejectedCredentialsWhenAzureGatewayAnswers401() {
        sim.config(SimulatorConfig.defaults().withFailure(401, 0));

        ProbeResult result = probe.probe("azure", sim.azureBaseUrl(), KEY, Map.of(), "gpt-4o-mini");

        assertThat(result.verdict()).isEqualTo(ProbeResult.Verdict.CREDENTIALS_REJECTED);
        assertThat(result.message()).doesNotContain(KEY);
    }
}
