package dev.tollgate.admin.stats;

import java.time.Instant;
import java.util.List;

/** Usage summed from the hourly rollups over [from, to), one row per group, with the sum of all rows. */
public record StatsView(String groupBy, Instant from, Instant to, List<Row> items, Row total) {

    /**
     * {@code key}: the day ({@code 2030-01-31}), hour ({@code 2030-01-31T10:00:00Z}), model, or user/key/channel id;
     * {@code label}: the user's, key's or channel's name where there is one.
     */
    public record Row(String key, String label, long requests, long errors, long inputTokens, long cacheReadTokens,
            long cacheWriteTokens, long outputTokens, long reasoningTokens, long costMicros) {
    }
}
