package dev.tollgate.relay.tracing;

import io.micrometer.tracing.Span;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One upstream attempt's span, ended once with what the attempt came to: until the upstream answered (a whole
 * body, or a stream's acceptance), so a stream's span covers the wait for its first byte, not the stream.
 */
public final class UpstreamSpan {

    /** An attempt not traced. */
    public static final UpstreamSpan NONE = new UpstreamSpan(null);

    private final Span span;
    private final AtomicBoolean ended = new AtomicBoolean();

    UpstreamSpan(Span span) {
        this.span = span;
    }

    /**
     * @param outcome the attempt's outcome as the usage event names it ({@code succeeded}, {@code rate_limited}, …)
     * @param status  the upstream's HTTP status, 0 when there was none
     * @param error   the failure, or null
     */
    public void end(String outcome, int status, Throwable error) {
        if (span == null || !ended.compareAndSet(false, true)) {
            return;
        }
        span.tag("tollgate.outcome", outcome);
        if (status > 0) {
            span.tag("http.response.status_code", Integer.toString(status));
        }
        if (error != null) {
            span.error(error);
        }
        span.end();
    }
}
