package dev.tollgate.relay.routing;

import java.time.Duration;

/**
 * What one attempt on one channel came to, as the failover policy and the channel's health see it.
 *
 * @param status     the upstream's HTTP status, or 0 when there was none (transport failure)
 * @param retryAfter how long the upstream asked to be left alone (a 429's Retry-After), or null
 * @param message    the upstream's error message, or null (never shown to the client from here)
 */
public record AttemptOutcome(Kind kind, int status, Duration retryAfter, String message) {

    public enum Kind {
        /** The upstream began an answer. */
        SUCCEEDED,
        /** The request itself is at fault (400, 404, 413, 422 …): another channel would refuse it too. */
        CLIENT_ERROR,
        /** Could not connect, or the connection broke before an answer began. */
        UNREACHABLE,
        TIMED_OUT,
        /** 5xx, 529 overloaded, or a status that says nothing about the request. */
        SERVER_ERROR,
        RATE_LIMITED,
        /** The upstream refused the channel's credentials (401, 403): will not heal by itself. */
        AUTH_REJECTED,
        /** The upstream account is out of credit or deactivated: will not heal by itself. */
        ACCOUNT_PROBLEM;

        /** Worth trying the next channel (before any byte has gone to the client). */
        public boolean retryable() {
            return this == UNREACHABLE || this == TIMED_OUT || this == SERVER_ERROR || this == RATE_LIMITED
                    || this == AUTH_REJECTED || this == ACCOUNT_PROBLEM;
        }

        /** The channel should be disabled until a probe finds it answering again. */
        public boolean disablesChannel() {
            return this == AUTH_REJECTED || this == ACCOUNT_PROBLEM;
        }

        /**
         * Counts as a failure for the channel's circuit breaker. A 429 does not: the channel is healthy but busy, and
         * its Retry-After cooldown says for how long (a burst of 429s must not shut a lone channel for the breaker's
         * whole wait).
         */
        public boolean failure() {
            return this != SUCCEEDED && this != CLIENT_ERROR && this != RATE_LIMITED;
        }
    }

    public static AttemptOutcome succeeded() {
        return new AttemptOutcome(Kind.SUCCEEDED, 200, null, null);
    }

    /** The wire name on the usage event's attempt ({@code succeeded}, {@code rate_limited}, …). */
    public String wireName() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
