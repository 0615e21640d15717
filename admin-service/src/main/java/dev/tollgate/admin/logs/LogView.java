package dev.tollgate.admin.logs;

import java.time.Instant;

/**
 * One request of the request log. {@code captured}: its key captured the bodies, which
 * {@code GET /api/logs/{requestId}} shows (lists never carry them).
 */
public record LogView(String requestId, long userId, long keyId, Long channelId, String model, String modelServed,
        long inputTokens, long cacheReadTokens, long cacheWriteTokens, long outputTokens, long reasoningTokens,
        long costMicros, boolean estimated, String status, int httpStatus, String errorClass, long latencyMs,
        Long ttftMs, Instant at, boolean captured) {

    LogView withCaptured(boolean captured) {
        return new LogView(requestId, userId, keyId, channelId, model, modelServed, inputTokens, cacheReadTokens,
                cacheWriteTokens, outputTokens, reasoningTokens, costMicros, estimated, status, httpStatus, errorClass,
                latencyMs, ttftMs, at, captured);
    }
}
