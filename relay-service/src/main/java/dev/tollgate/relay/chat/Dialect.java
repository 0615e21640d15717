package dev.tollgate.relay.chat;

import java.util.Locale;

/** A wire dialect: what an inbound client speaks, or what an upstream provider natively accepts. */
public enum Dialect {
    OPENAI,
    /**
     * OpenAI's Responses API ({@code /v1/responses}): inbound. Passed through to the channels that serve it themselves
     * (OpenAI, Azure: they keep the responses a follow-up refers to), translated through chat for every other.
     */
    OPENAI_RESPONSES,
    ANTHROPIC,
    GEMINI,
    /** AWS Bedrock Converse: upstream only, always reached by translation. */
    BEDROCK;

    /** The name on the usage event ({@code openai}, {@code anthropic}, …). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
