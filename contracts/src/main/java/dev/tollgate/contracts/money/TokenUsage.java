package dev.tollgate.contracts.money;

/**
 * What one request consumed, in disjoint classes: {@code inputTokens} excludes cached input,
 * {@code outputTokens} includes reasoning ({@code reasoningTokens} is the informational part of it).
 */
public record TokenUsage(
        long inputTokens,
        long cacheReadTokens,
        long cacheWriteTokens,
        long outputTokens,
        long reasoningTokens,
        long requests,
        long images,
        long audioSeconds) {

    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, 0, 0, 0, 0);

    public TokenUsage {
        requireNonNegative(inputTokens, "inputTokens");
        requireNonNegative(cacheReadTokens, "cacheReadTokens");
        requireNonNegative(cacheWriteTokens, "cacheWriteTokens");
        requireNonNegative(outputTokens, "outputTokens");
        requireNonNegative(reasoningTokens, "reasoningTokens");
        requireNonNegative(requests, "requests");
        requireNonNegative(images, "images");
        requireNonNegative(audioSeconds, "audioSeconds");
    }

    public static TokenUsage ofTokens(long inputTokens, long outputTokens) {
        return new TokenUsage(inputTokens, 0, 0, outputTokens, 0, 0, 0, 0);
    }

    /**
     * From an OpenAI-style report, where {@code prompt_tokens} includes the cached tokens.
     */
    public static TokenUsage fromOpenAi(long promptTokens, long cachedTokens, long completionTokens, long reasoningTokens) {
        long cached = Math.min(Math.max(cachedTokens, 0), Math.max(promptTokens, 0));
        return new TokenUsage(Math.max(promptTokens, 0) - cached, cached, 0, Math.max(completionTokens, 0),
                Math.min(Math.max(reasoningTokens, 0), Math.max(completionTokens, 0)), 0, 0, 0);
    }

    /** The same usage counted as {@code requests} billable requests (for per-request prices). */
    public TokenUsage withRequests(long requests) {
        return new TokenUsage(inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens, reasoningTokens,
                requests, images, audioSeconds);
    }

    private static void requireNonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }
}
