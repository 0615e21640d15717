package dev.tollgate.admin.web;

import java.time.Duration;
import org.springframework.http.HttpStatus;

/** 429 {@code too_many_requests}, answered with {@code Retry-After} in whole seconds. */
public class RetryLaterException extends ApiException {

    private final Duration retryAfter;

    public RetryLaterException(String message, Duration retryAfter) {
        super(HttpStatus.TOO_MANY_REQUESTS, "too_many_requests", message);
        this.retryAfter = retryAfter;
    }

    /** Rounded up, at least one second. */
    public long retryAfterSeconds() {
        long seconds = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
