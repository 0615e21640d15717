package dev.tollgate.contracts.upstream;

import java.util.Locale;
import java.util.Map;

/**
 * The base URL each provider's own SDK starts from, used when a channel leaves {@code baseUrl} blank. Providers
 * without one ({@code azure}: every resource has its own endpoint) must name theirs. Pure.
 */
public final class ProviderDefaults {

    private static final Map<String, String> BASE_URLS = Map.ofEntries(
            Map.entry("openai", "https://api.openai.com/v1"),
            Map.entry("anthropic", "https://api.anthropic.com"),
            Map.entry("gemini", "https://generativelanguage.googleapis.com"),
            Map.entry("deepseek", "https://api.deepseek.com"),
            Map.entry("groq", "https://api.groq.com/openai/v1"),
            Map.entry("mistral", "https://api.mistral.ai/v1"),
            Map.entry("xai", "https://api.x.ai/v1"),
            Map.entry("openrouter", "https://openrouter.ai/api/v1"),
            Map.entry("together", "https://api.together.xyz/v1"),
            Map.entry("siliconflow", "https://api.siliconflow.cn/v1"),
            Map.entry("ollama", "http://127.0.0.1:11434/v1"),
            Map.entry("vllm", "http://127.0.0.1:8000/v1"));

    private ProviderDefaults() {
    }

    /** The provider's default base URL, or null when it has none. */
    public static String baseUrl(String provider) {
        return provider == null ? null : BASE_URLS.get(provider.trim().toLowerCase(Locale.ROOT));
    }

    /** The channel's own base URL, or the provider's default when the channel's is blank (null when neither). */
    public static String baseUrlOr(String provider, String channelBaseUrl) {
        return channelBaseUrl == null || channelBaseUrl.isBlank() ? baseUrl(provider) : channelBaseUrl.strip();
    }
}
