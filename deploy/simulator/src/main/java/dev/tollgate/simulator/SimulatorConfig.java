package dev.tollgate.simulator;

import java.util.List;

/**
 * How the simulator behaves for subsequent requests. Immutable; change it with the {@code with*}
 * methods and hand it to {@link Simulator#config(SimulatorConfig)}, or {@code PUT /_sim/config}
 * the same JSON (fields left out take their defaults).
 *
 * @param latencyMs        delay before the first byte of any chat response
 * @param chunks           content chunks in a stream; the text is "tok0 tok1 ..." one word per chunk
 * @param chunkDelayMs     delay before each content chunk of a stream
 * @param promptTokens     reported prompt tokens; null = about one per 4 characters of the request's text (system,
 *                         messages, tool definitions and calls) plus {@code imageTokens} per image
 * @param completionTokens reported completion tokens; null = {@code chunks}
 * @param cachedTokens     prompt tokens read from the cache: OpenAI {@code prompt_tokens_details.cached_tokens},
 *                         Anthropic {@code cache_read_input_tokens}, Bedrock {@code cacheReadInputTokens}, Gemini
 *                         {@code cachedContentTokenCount}
 * @param reasoningTokens  reported as {@code usage.completion_tokens_details.reasoning_tokens} (Gemini
 *                         {@code thoughtsTokenCount}, left out of its {@code candidatesTokenCount})
 * @param failStatus       answer chat requests with this HTTP status and an error body; null = never
 * @param failTimes        how many requests fail with {@code failStatus}; null or 0 = all of them
 * @param cutAfterChunks   in a stream, drop the connection after this many content chunks; null = never
 * @param cacheWriteTokens prompt tokens written to the cache: Anthropic {@code cache_creation_input_tokens},
 *                         Bedrock {@code cacheWriteInputTokens} (OpenAI has no such figure)
 * @param imageTokens      prompt tokens counted per image when {@code promptTokens} is null
 * @param models           ids listed by {@code GET /v1/models} (any model is accepted in requests)
 * @param flavour          which OpenAI-compatible server {@code /v1/chat/completions} answers like: null or
 *                         {@code openai}, {@code deepseek} ({@code reasoning_content}, cache hit/miss usage),
 *                         {@code groq} (stream usage in {@code x_groq.usage}), {@code mistral} (usage on the last
 *                         chunk whatever was asked, 9-character tool-call ids), {@code no-stream-usage} (a server
 *                         that never reports a stream's usage); the {@code x-sim-flavour} header overrides it per
 *                         request
 * @param contentFilter    Azure's content filter: null (passes), {@code prompt} (the request is refused with a
 *                         {@code content_filter} error) or {@code completion} (the answer ends with finish reason
 *                         {@code content_filter})
 */
public record SimulatorConfig(
        long latencyMs,
        int chunks,
        long chunkDelayMs,
        Integer promptTokens,
        Integer completionTokens,
        int cachedTokens,
        int reasoningTokens,
        Integer failStatus,
        Integer failTimes,
        Integer cutAfterChunks,
        List<String> models,
        int cacheWriteTokens,
        int imageTokens,
        String flavour,
        String contentFilter) {

    public static final List<String> DEFAULT_MODELS = List.of("gpt-4o-mini", "gpt-4o", "gpt-4.1-mini");
    public static final List<String> FLAVOURS = List.of("openai", "deepseek", "groq", "mistral", "no-stream-usage");
    public static final List<String> CONTENT_FILTERS = List.of("prompt", "completion");

    private static final SimulatorConfig DEFAULTS =
            new SimulatorConfig(0, 5, 0, null, null, 0, 0, null, null, null, DEFAULT_MODELS, 0, 85, null, null);

    public SimulatorConfig {
        requireNonNegative("latencyMs", latencyMs);
        requireNonNegative("chunks", chunks);
        requireNonNegative("chunkDelayMs", chunkDelayMs);
        requireNonNegative("cachedTokens", cachedTokens);
        requireNonNegative("reasoningTokens", reasoningTokens);
        requireNonNegative("cacheWriteTokens", cacheWriteTokens);
        requireNonNegative("imageTokens", imageTokens);
        if (promptTokens != null) {
            requireNonNegative("promptTokens", promptTokens);
        }
        if (completionTokens != null) {
            requireNonNegative("completionTokens", completionTokens);
        }
        if (failTimes != null) {
            requireNonNegative("failTimes", failTimes);
        }
        if (cutAfterChunks != null) {
            requireNonNegative("cutAfterChunks", cutAfterChunks);
        }
        if (failStatus != null && (failStatus < 100 || failStatus > 599)) {
            throw new IllegalArgumentException("failStatus must be an HTTP status (100-599): " + failStatus);
        }
        models = models == null ? DEFAULT_MODELS : List.copyOf(models);
        if (flavour != null && !FLAVOURS.contains(flavour)) {
            throw new IllegalArgumentException("flavour must be one of " + FLAVOURS + ": " + flavour);
        }
        if (contentFilter != null && !CONTENT_FILTERS.contains(contentFilter)) {
            throw new IllegalArgumentException("contentFilter must be one of " + CONTENT_FILTERS + ": " + contentFilter);
        }
    }

    public static SimulatorConfig defaults() {
        return DEFAULTS;
    }

    public SimulatorConfig withLatencyMs(long latencyMs) {
        return new SimulatorConfig(latencyMs, chunks, chunkDelayMs, promptTokens, completionTokens, cachedTokens,
                reasoningTokens, failStatus, failTimes, cutAfterChunks, models, cacheWriteTokens, imageTokens, flavour,
                contentFilter);
    }

    public SimulatorConfig withChunks(int chunks) {
        return new SimulatorConfig(latencyMs, chunks, chunkDelayMs, promptTokens, completionTokens, cachedTokens,
                reasoningTokens, failStatus, failTimes, cutAfterChunks, models, cacheWriteTokens, imageTokens, flavour,
                contentFilter);
    }

    public SimulatorConfig withChunkDelayMs(long chunkDelayMs) {
        return new SimulatorConfig(latencyMs, chunks, chunkDelayMs, promptTokens, completionTokens, cachedTokens,
                reasoningTokens, failStatus, failTimes, cutAfterChunks, models, cacheWriteTokens, imageTokens, flavour,
                contentFilter);
    }

    public SimulatorConfig withPromptTokens(Integer promptTokens) {
        return new SimulatorConfig(latencyMs, chunks, chunkDelayMs, promptTokens, completionTokens, cachedTokens,
                reasoningTokens, failStatus, failTimes, cutAfterChunks, models, cacheWriteTokens, imageTokens, flavour,
                contentFilter);
    }

    public SimulatorConfig withCompletionTokens(Integer completionTokens) {
        return new SimulatorConfig(latencyMs, chunks, chunkDelayMs, promptTokens, completionTokens, cachedTokens,
                reasoningTokens, failStatus, failTimes, cutAfterChunks, models, cacheWriteTokens, imageTokens, flavour,
                contentFilter);
    }

    public SimulatorConfig withCachedTokens(int cachedTokens) {
        return new SimulatorConfig(latencyMs, chunks, chunkDelayMs, promptTokens, completionTokens, cachedTokens,
                reasoningTokens, failStatus, failTimes, cutAfterChunks, models, cacheWriteTokens, imageTokens, flavour,
                contentFilter);
    }

    public SimulatorConfig withReasoningTokens(int reasoningTokens) {
        return new SimulatorConfig(latencyMs, chunks, chunkDelayMs, promptTokens, completionTokens, cachedTokens,
                reasoningTokens, failStatus, failTimes, cutAfterChunks, models, cacheWriteTokens, imageTokens, flavour,
                contentFilter);
    }

    public SimulatorConfig withFailStatus(Integer failStatus) {
        return new SimulatorConfig(latencyMs, chunks, chunkDelayMs, promptTokens, completionTokens, cachedTokens,
                reasoningTokens, failStatus, failTimes, cutAfterChunks, models, cacheWriteTokens, imageTokens, flavour,
                contentFilter);
    }

    public SimulatorConfig withFailTimes(Integer failTimes) {
        return new SimulatorConfig(latencyMs, chunks, chunkDelayMs, promptTokens, completionTokens, cachedTokens,
                reasoningTokens, failStatus, failTimes, cutAfterChunks, models, cacheWriteTokens, imageTokens, flavour,
                contentFilter);
    }

    /** Shorthand: the next {@code times} chat requests fail with {@code status} (0 = every request). */
    public SimulatorConfig withFailure(int status, int times) {
        return withFailStatus(status).withFailTimes(times);
    }

    public SimulatorConfig withCutAfterChunks(Integer cutAfterChunks) {
        return new SimulatorConfig(latencyMs, chunks, chunkDelayMs, promptTokens, completionTokens, cachedTokens,
                reasoningTokens, failStatus, failTimes, cutAfterChunks, models, cacheWriteTokens, imageTokens, flavour,
                contentFilter);
    }

    public SimulatorConfig withModels(List<String> models) {
        return new SimulatorConfig(latencyMs, chunks, chunkDelayMs, promptTokens, completionTokens, cachedTokens,
                reasoningTokens, failStatus, failTimes, cutAfterChunks, models, cacheWriteTokens, imageTokens, flavour,
                contentFilter);
    }

    public SimulatorConfig withCacheWriteTokens(int cacheWriteTokens) {
        return new SimulatorConfig(latencyMs, chunks, chunkDelayMs, promptTokens, completionTokens, cachedTokens,
                reasoningTokens, failStatus, failTimes, cutAfterChunks, models, cacheWriteTokens, imageTokens, flavour,
                contentFilter);
    }

    public SimulatorConfig withImageTokens(int imageTokens) {
        return new SimulatorConfig(latencyMs, chunks, chunkDelayMs, promptTokens, completionTokens, cachedTokens,
                reasoningTokens, failStatus, failTimes, cutAfterChunks, models, cacheWriteTokens, imageTokens, flavour,
                contentFilter);
    }

    public SimulatorConfig withFlavour(String flavour) {
        return new SimulatorConfig(latencyMs, chunks, chunkDelayMs, promptTokens, completionTokens, cachedTokens,
                reasoningTokens, failStatus, failTimes, cutAfterChunks, models, cacheWriteTokens, imageTokens, flavour,
                contentFilter);
    }

    public SimulatorConfig withContentFilter(String contentFilter) {
        return new SimulatorConfig(latencyMs, chunks, chunkDelayMs, promptTokens, completionTokens, cachedTokens,
                reasoningTokens, failStatus, failTimes, cutAfterChunks, models, cacheWriteTokens, imageTokens, flavour,
                contentFilter);
    }

    private static void requireNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }
}
