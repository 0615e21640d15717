package dev.tollgate.admin.logs;

import java.time.Instant;

/** One request of the request log. */
public record LogView(String requestId, long userId, long keyId, Long channelId, String model, String modelServed,
        long inputTokens, long cacheReadTokens, long cacheWriteTokens, long outputTokens, long reasoningTokens,
        long costMicros, boolean estimated, String status, int httpStatus, String errorClass, long latencyMs,
        Long ttftMs, Instant at) {
}
