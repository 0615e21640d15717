package dev.tollgate.relay.limits;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request admitted by the {@link RateLimiter}: counted as one request and its token estimate until
 * {@link #settle} puts the real tokens in the estimate's place. Settling twice has no effect.
 */
public final class RateLimitGrant {

    /** The grant of a request no limit applies to. */
    public static final RateLimitGrant NONE = new RateLimitGrant(null, List.of(), new long[0], 0, Map.of());

    private final RateLimiter limiter;
    private final List<RateWindow> windows;
    private final long[] buckets;
    private final long estimate;
    private final Map<String, String> headers;
    private final AtomicBoolean settled = new AtomicBoolean();

    RateLimitGrant(RateLimiter limiter, List<RateWindow> windows, long[] buckets, long estimate,
            Map<String, String> headers) {
        this.limiter = limiter;
        this.windows = windows;
        this.buckets = buckets;
        this.estimate = estimate;
        this.headers = Map.copyOf(headers);
    }

    /**
     * The request ended: count {@code actualTokens} (input + output as charged; 0 when it never reached an upstream)
     * instead of the estimate. The request itself stays counted.
     */
    public void settle(long actualTokens) {
        if (limiter == null || !settled.compareAndSet(false, true)) {
            return;
        }
        limiter.settle(windows, buckets, estimate, actualTokens);
    }

    /** The {@code x-ratelimit-*} headers as of admission (empty when no limit applies), for a successful answer. */
    public Map<String, String> headers() {
        return headers;
    }
}
