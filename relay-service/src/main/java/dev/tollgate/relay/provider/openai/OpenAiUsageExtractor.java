package dev.tollgate.relay.provider.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.provider.openai.wire.ChatCompletion;
import dev.tollgate.relay.provider.openai.wire.ChatUsage;
import tools.jackson.core.JacksonException;

/** Reads OpenAI usage reports into our disjoint token classes. */
public final class OpenAiUsageExtractor {

    private OpenAiUsageExtractor() {
    }

    /** The usage of a whole {@code chat.completion} body, or null when it has none or is not JSON. */
    public static TokenUsage fromResponse(byte[] body) {
        try {
            ChatCompletion completion = Json.mapper().readValue(body, ChatCompletion.class);
            return completion == null ? null : fromUsage(completion.usage());
        } catch (JacksonException e) {
            return null;
        }
    }

    static TokenUsage fromUsage(ChatUsage usage) {
        if (usage == null || usage.promptTokens() == null && usage.completionTokens() == null) {
            return null;
        }
        long cached = usage.promptTokensDetails() == null ? 0 : orZero(usage.promptTokensDetails().cachedTokens());
        long reasoning = usage.completionTokensDetails() == null ? 0
                : orZero(usage.completionTokensDetails().reasoningTokens());
        return TokenUsage.fromOpenAi(orZero(usage.promptTokens()), cached, orZero(usage.completionTokens()), reasoning);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
