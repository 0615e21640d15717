package dev.tollgate.relay.provider.openai;

import dev.tollgate.contracts.upstream.ProviderDefaults;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What one server of the OpenAI wire family needs done its own way on the way up. Only what a server cannot take
 * is here: what servers add on the way back ({@code reasoning_content}, Groq's {@code x_groq.usage}, DeepSeek's
 * {@code prompt_cache_hit_tokens}, xAI's reasoning outside {@code completion_tokens}, Azure's filter annotations)
 * is read for every server alike ({@link OpenAiUsageExtractor}, {@link OpenAiChatStreamTranslator}).
 *
 * @param defaultBaseUrl used when a channel leaves its base URL blank; null when the provider has none
 * @param streamUsage    streams ask for {@code stream_options.include_usage} (else it is not sent at all: the
 *                       server reports usage by itself, or the relay counts)
 * @param outputLimit    where a translated request's output limit goes; a server that knows only
 *                       {@code max_tokens} also gets a pass-through request's {@code max_completion_tokens} renamed
 * @param shortToolIds   tool-call ids sent up are 9 letters and digits (Mistral refuses any other); ids that came
 *                       from another dialect are mapped, the same id always to the same short one
 * @param configHeaders  channel {@code config} key → header sent up when the channel sets it
 * @param rerank         the server offers {@code POST {base}/rerank} (Cohere/Jina shape); any other OpenAI-family
 *                       channel offers it when its {@code config} says {@code "rerank": true} (Jina, Cohere-compatible
 *                       servers behind a custom base URL)
 */
public record OpenAiPreset(String name, String defaultBaseUrl, boolean streamUsage, OutputLimit outputLimit,
        boolean shortToolIds, Map<String, String> configHeaders, boolean rerank) {

    /** The field an output limit is sent in. */
    public enum OutputLimit {
        /** Every compatible server knows it; OpenAI's reasoning models refuse it. */
        MAX_TOKENS,
        /** OpenAI's current name (reasoning models accept only it); many compatible servers do not know it. */
        MAX_COMPLETION_TOKENS
    }

    private static final OutputLimit MAX = OutputLimit.MAX_TOKENS;
    private static final OutputLimit COMPLETION = OutputLimit.MAX_COMPLETION_TOKENS;

    /** Any other OpenAI-compatible server: asks for stream usage, sends {@code max_tokens}. */
    public static final OpenAiPreset COMPATIBLE = new OpenAiPreset("compatible", null, true, MAX, false, Map.of(),
            false);

    /** The presets (DESIGN.md "Admin API"); README "Dialects and providers" says where each quirk comes from. */
    private static final Map<String, OpenAiPreset> PRESETS = table(List.of(
            //     name           stream usage  output limit  9-char tool ids  headers from config  rerank
            preset("openai",      true,         COMPLETION,   false,           Map.of(),            false),
            preset("deepseek",    true,         MAX,          false,           Map.of(),            false),
            preset("groq",        true,         COMPLETION,   false,           Map.of(),            false),
            preset("mistral",     false,        MAX,          true,            Map.of(),            false),
            preset("xai",         true,         COMPLETION,   false,           Map.of(),            false),
            preset("openrouter",  true,         MAX,          false,
                    Map.of("siteUrl", "HTTP-Referer", "appName", "X-Title"),                      false),
            preset("together",    true,         MAX,          false,           Map.of(),            false),
            preset("siliconflow", true,         MAX,          false,           Map.of(),            true),
            preset("ollama",      true,         MAX,          false,           Map.of(),            false),
            preset("vllm",        true,         MAX,          false,           Map.of(),            true)));

    /** The channel {@code config} key that switches rerank on for an OpenAI-family channel whose preset lacks it. */
    public static final String RERANK_CONFIG = "rerank";

    public OpenAiPreset {
        configHeaders = Map.copyOf(configHeaders);
    }

    /** The preset of a provider name, or {@link #COMPATIBLE} for a name without one. */
    public static OpenAiPreset forProvider(String provider) {
        String name = provider == null ? "" : provider.trim().toLowerCase(Locale.ROOT);
        return PRESETS.getOrDefault(name, COMPATIBLE);
    }

    /**
     * Azure OpenAI: its current surfaces take stream usage and {@code max_completion_tokens}; dated versions before
     * 2024-09-01 refuse {@code stream_options} and know only {@code max_tokens}.
     */
    public static OpenAiPreset azure(boolean modern) {
        return new OpenAiPreset("azure", null, modern, modern ? COMPLETION : MAX, false, Map.of(), false);
    }

    /** A pass-through request's {@code max_completion_tokens} must be sent as {@code max_tokens}. */
    boolean renamesMaxCompletionTokens() {
        return outputLimit == OutputLimit.MAX_TOKENS;
    }

    /** The channel offers rerank: its preset does, or its config switches it on. */
    public static boolean servesRerank(String provider, String configFlag) {
        return forProvider(provider).rerank() || Boolean.parseBoolean(configFlag);
    }

    private static OpenAiPreset preset(String name, boolean streamUsage, OutputLimit outputLimit,
            boolean shortToolIds, Map<String, String> configHeaders, boolean rerank) {
        return new OpenAiPreset(name, ProviderDefaults.baseUrl(name), streamUsage, outputLimit, shortToolIds,
                configHeaders, rerank);
    }

    private static Map<String, OpenAiPreset> table(List<OpenAiPreset> presets) {
        return presets.stream().collect(Collectors.toUnmodifiableMap(OpenAiPreset::name, Function.identity()));
    }
}
