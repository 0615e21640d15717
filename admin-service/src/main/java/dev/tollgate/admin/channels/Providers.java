package dev.tollgate.admin.channels;

import java.util.Set;

/** The upstream kinds a channel may name: five native APIs and the OpenAI-compatible presets. */
public final class Providers {

    public static final Set<String> ALL = Set.of("openai", "azure", "anthropic", "bedrock", "gemini", "deepseek",
            "groq", "mistral", "xai", "openrouter", "together", "siliconflow", "ollama", "vllm");

    private Providers() {
    }

    public static boolean isKnown(String provider) {
        return provider != null && ALL.contains(provider);
    }
}
