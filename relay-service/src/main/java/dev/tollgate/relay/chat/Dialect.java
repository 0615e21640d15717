package dev.tollgate.relay.chat;

import java.util.Locale;

/** A wire dialect: what an inbound client speaks, or what an upstream provider natively accepts. */
public enum Dialect {
    OPENAI,
    ANTHROPIC,
    GEMINI,
    /** AWS Bedrock Converse: upstream only, always reached by translation. */
    BEDROCK;

    /** The name on the usage event ({@code openai}, {@code anthropic}, …). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
