package dev.tollgate.relay.provider;

import java.util.Locale;
import java.util.Set;

/** Provider names (DESIGN.md): the presets that speak OpenAI's wire format are the {@code openai} family. */
public final class Providers {

    public static final String OPENAI = "openai";
    private static final Set<String> OPENAI_PRESETS = Set.of("openai", "deepseek", "groq", "mistral", "xai",
            "openrouter", "together", "siliconflow", "ollama", "vllm");

    private Providers() {
    }

    /** The wire family of a provider name: {@code openai} for OpenAI and its presets, else the name itself. */
    public static String family(String provider) {
        String name = provider == null ? "" : provider.trim().toLowerCase(Locale.ROOT);
        return OPENAI_PRESETS.contains(name) ? OPENAI : name;
    }
}
