package dev.tollgate.relay.provider.openai;

import dev.tollgate.relay.snapshot.Channel;
import java.util.Locale;

/**
 * Whether an OpenAI-family channel serves the Responses API itself. OpenAI does; the compatible servers and
 * presets (DeepSeek, Groq …) do not by default. A channel's {@code config.nativeResponses} ({@code true} or
 * {@code false}) overrides the default either way, e.g. for a vLLM or OpenRouter that serves it. Pure.
 */
public final class ResponsesCapability {

    public static final String CONFIG_KEY = "nativeResponses";

    private ResponsesCapability() {
    }

    /** The channel's override, else the default of its provider. */
    public static boolean servesResponses(Channel channel) {
        Boolean override = override(channel);
        if (override != null) {
            return override;
        }
        String provider = channel.provider() == null ? "" : channel.provider().trim().toLowerCase(Locale.ROOT);
        return "openai".equals(provider);
    }

    /** {@code config.nativeResponses} as a boolean (a JSON boolean or the text true/false), else null. */
    public static Boolean override(Channel channel) {
        Object value = channel.config().get(CONFIG_KEY);
        if (value instanceof Boolean flag) {
            return flag;
        }
        if (value instanceof String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            if (t.equals("true") || t.equals("false")) {
                return Boolean.parseBoolean(t);
            }
        }
        return null;
    }
}
