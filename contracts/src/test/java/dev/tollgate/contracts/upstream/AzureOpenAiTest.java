package dev.tollgate.contracts.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Azure OpenAI's URLs from a channel's base URL and config. */
class AzureOpenAiTest {

    @ParameterizedTest(name = "{0} + apiVersion {1}")
    @CsvSource(nullValues = "-", value = {
            "https://r.openai.azure.com,           -,                  https://r.openai.azure.com/openai/deployments/dep%20one/chat/completions?api-version=2024-10-21",
            "https://r.openai.azure.com/openai/,   2025-04-01-preview, https://r.openai.azure.com/openai/deployments/dep%20one/chat/completions?api-version=2025-04-01-preview",
            "https://r.openai.azure.com,           v1,                 https://r.openai.azure.com/openai/v1/chat/completions",
            "https://r.openai.azure.com/openai/v1, -,                  https://r.openai.azure.com/openai/v1/chat/completions",
            "https://r.openai.azure.com,           preview,            https://r.openai.azure.com/openai/v1/chat/completions?api-version=preview"})
    void shouldBuildChatUrlWhenBaseUrlAndVersionVary(String baseUrl, String version, String expected) {
        Map<String, Object> config = version == null ? Map.of() : Map.of("apiVersion", version);

        assertThat(AzureOpenAi.of(baseUrl, config).chatUrl("dep one")).isEqualTo(expected);
    }

    @Test
    void shouldListModelsOnTheSurfaceInUse() {
        assertThat(AzureOpenAi.of("https://r.openai.azure.com", Map.of()).modelsUrl())
                .isEqualTo("https://r.openai.azure.com/openai/models?api-version=2024-10-21");
        assertThat(AzureOpenAi.of("https://r.openai.azure.com", Map.of("apiVersion", "v1")).modelsUrl())
                .isEqualTo("https://r.openai.azure.com/openai/v1/models");
    }

    @Test
    void shouldTakeStreamUsageOnlyFromSeptember2024OnWhenVersionIsDated() {
        assertThat(AzureOpenAi.of("https://r", Map.of("apiVersion", "2024-06-01")).modern()).isFalse();
        assertThat(AzureOpenAi.of("https://r", Map.of("apiVersion", "2024-08-01-preview")).modern()).isFalse();
        assertThat(AzureOpenAi.of("https://r", Map.of("apiVersion", "2024-09-01-preview")).modern()).isTrue();
        assertThat(AzureOpenAi.of("https://r", Map.of()).modern()).isTrue();
        assertThat(AzureOpenAi.of("https://r", Map.of("apiVersion", "v1")).modern()).isTrue();
    }

    @Test
    void shouldFindDeploymentByUpstreamThenAskedNameElseUseTheModel() {
        Map<String, Object> config = Map.of("deployments", Map.of("gpt-4o-2024-08-06", "prod-4o", "mini", "prod-mini"));

        assertThat(AzureOpenAi.deployment(config, "gpt-4o-2024-08-06", "gpt-4o")).isEqualTo("prod-4o");
        assertThat(AzureOpenAi.deployment(config, "gpt-4o-mini", "mini")).isEqualTo("prod-mini");
        assertThat(AzureOpenAi.deployment(config, "o3", "o3")).isEqualTo("o3");
        assertThat(AzureOpenAi.deployment(Map.of(), "o3", "reasoner")).isEqualTo("o3");
    }

    @Test
    void shouldDefaultBaseUrlsOfPresetsButNotOfAzure() {
        assertThat(ProviderDefaults.baseUrlOr("deepseek", " ")).isEqualTo("https://api.deepseek.com");
        assertThat(ProviderDefaults.baseUrlOr("ollama", null)).isEqualTo("http://127.0.0.1:11434/v1");
        assertThat(ProviderDefaults.baseUrlOr("groq", "http://proxy/v1")).isEqualTo("http://proxy/v1");
        assertThat(ProviderDefaults.baseUrlOr("azure", "")).isNull();
    }
}
