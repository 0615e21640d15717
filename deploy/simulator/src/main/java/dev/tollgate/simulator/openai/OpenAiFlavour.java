package dev.tollgate.simulator.openai;

import java.util.Locale;

/** Which server of the OpenAI wire family an answer is shaped like (see {@code SimulatorConfig.flavour}). */
public enum OpenAiFlavour {
    OPENAI,
    /** Azure OpenAI: filter annotations, an opening chunk with no choices; reached by Azure's own paths only. */
    AZURE,
    /** {@code reasoning_content} before the answer; usage as {@code prompt_cache_hit_tokens}/{@code _miss_tokens}. */
    DEEPSEEK,
    /** A stream's usage in {@code x_groq.usage} on its last chunk, never in {@code usage}. */
    GROQ,
    /** Usage on a stream's last chunk whatever was asked; tool-call ids of exactly 9 letters and digits. */
    MISTRAL,
    /** A server that never reports a stream's usage (older Ollama, vLLM, llama.cpp builds). */
    NO_STREAM_USAGE;

    /** The flavour of a config or header value ({@code no-stream-usage} …); OpenAI for null or an unknown one. */
    public static OpenAiFlavour of(String name) {
        if (name == null || name.isBlank()) {
            return OPENAI;
        }
        String constant = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (OpenAiFlavour flavour : values()) {
            if (flavour != AZURE && flavour.name().equals(constant)) {
                return flavour;
            }
        }
        return OPENAI;
    }
}
