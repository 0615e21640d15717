package dev.tollgate.admin.live;

import java.time.Instant;
import java.util.List;

/**
 * What the live dashboard shows, as of {@code at}: the last minute and the last hour, in total, per channel and per
 * model, and two series for charts (per second over the last minute, per minute over the last hour).
 * {@code following}: the admin instance is reading the usage topic (false: the numbers are going stale).
 */
public record LiveSnapshot(Instant at, boolean following, Window minute, Window hour, List<Point> perSecond,
        List<Point> perMinute) {

    /**
     * One rolling window. {@code coveredSeconds} is how much of it this instance has watched (an instance started
     * ten minutes ago has seen 600 s of the last hour): rates divide by it, not by the window's length.
     */
    public record Window(long seconds, long coveredSeconds, Stats total, List<Keyed> byChannel, List<Keyed> byModel) {
    }

    /** A channel id or model name with its numbers, busiest first. */
    public record Keyed(String key, Stats stats) {
    }

    /**
     * {@code errors}: upstream failures; {@code rejected}: refused before any upstream (bad input, quota, unknown
     * model); {@code errorRate} = errors / (requests − rejected). Latencies count only requests that reached an
     * upstream; TTFT only streams. {@code costMicros}: the contracts cost formula from each event's price version
     * and its group's multiplier (what the ledger charges, unless a price or group changes in between).
     */
    public record Stats(long requests, long errors, long rejected, long tokens, long costMicros,
            double requestsPerSecond, double tokensPerSecond, double errorRate, long spendPerMinuteMicros,
            Long latencyP50Ms, Long latencyP99Ms, Long ttftP50Ms, Long ttftP99Ms) {
    }

    /** One slot of a series: the start of its second or minute and what finished in it. */
    public record Point(Instant t, long requests, long errors, long tokens, long costMicros, Long latencyP50Ms,
            Long latencyP99Ms, Long ttftP50Ms, Long ttftP99Ms) {
    }
}
