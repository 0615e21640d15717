package dev.tollgate.relay.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the relay answers itself with an error, whatever the dialect. Each inbound dialect's error writer
 * turns the {@link Kind} into its own status, type and code; the usage event records {@link Kind#errorClass()}.
 * Thrown through the reactive chain and caught once at the edge; it carries no stack trace (it is no bug).
 */
public final class Rejection extends RuntimeException {

    /** The closed set of reasons, with the HTTP status every dialect uses for them. */
    public enum Kind {
        INVALID_REQUEST(400, "invalid_request"),
        INVALID_API_KEY(401, "invalid_api_key"),
        IP_NOT_ALLOWED(403, "ip_not_allowed"),
        MODEL_NOT_FOUND(404, "model_not_found"),
        /** The model has no price and no default ({@code *}) price exists: never served for free. */
        MODEL_NOT_PRICED(400, "model_not_priced"),
        UNKNOWN_URL(404, "unknown_url"),
        /** A thing the request names (a stored response) does not exist, or is not the caller's to see. */
        NOT_FOUND(404, "not_found"),
        REQUEST_TOO_LARGE(413, "request_too_large"),
        INSUFFICIENT_QUOTA(429, "insufficient_quota"),
        /** A key's, user's or group's requests or tokens per minute are used up (our limit, not an upstream's). */
        RATE_LIMITED(429, "rate_limit_exceeded"),
        INTERNAL(500, "internal_error"),
        UPSTREAM_UNREACHABLE(502, "upstream_error"),
        /** The upstream answered with a server error (or a status that is not about the client's request). */
        UPSTREAM_ERROR(502, "upstream_error"),
        /** The upstream refused the channel's key: the operator's problem, never shown as the client's 401. */
        UPSTREAM_AUTH_FAILED(502, "upstream_auth_failed"),
        UPSTREAM_RATE_LIMITED(429, "rate_limit_exceeded"),
        UNAVAILABLE(503, "service_unavailable"),
        /** The usage spool is full: the request's usage could not be recorded, so it is not served. */
        USAGE_SPOOL_FULL(503, "usage_spool_full"),
        UPSTREAM_TIMEOUT(504, "timeout");

        private final int status;
        private final String errorClass;

        Kind(int status, String errorClass) {
            this.status = status;
            this.errorClass = errorClass;
        }

        public int status() {
            return status;
        }

        public String errorClass() {
            return errorClass;
        }

        /** True when the request reached (or tried to reach) an upstream: not the client's fault. */
        public boolean upstreamSide() {
            return this == UPSTREAM_UNREACHABLE || this == UPSTREAM_ERROR || this == UPSTREAM_AUTH_FAILED
                    || this == UPSTREAM_RATE_LIMITED || this == UPSTREAM_TIMEOUT || this == INTERNAL;
        }
    }

    private final Kind kind;
    private final String param;
    private final String retryAfter;
    private final Map<String, String> headers;

    public Rejection(Kind kind, String message, String param) {
        this(kind, message, param, null, Map.of());
    }

    private Rejection(Kind kind, String message, String param, String retryAfter, Map<String, String> headers) {
        super(message, null, false, false);
        this.kind = kind;
        this.param = param;
        this.retryAfter = retryAfter;
        this.headers = headers;
    }

    public static Rejection of(Kind kind, String message) {
        return new Rejection(kind, message, null);
    }

    public static Rejection invalid(String message, String param) {
        return new Rejection(Kind.INVALID_REQUEST, message, param);
    }

    public static Rejection modelNotFound(String model) {
        return new Rejection(Kind.MODEL_NOT_FOUND,
                "The model `" + model + "` does not exist or you do not have access to it.", "model");
    }

    public static Rejection modelNotPriced(String model) {
        return new Rejection(Kind.MODEL_NOT_PRICED,
                "The model `" + model + "` has no price configured on this gateway.", "model");
    }

    public static Rejection usageSpoolFull() {
        return new Rejection(Kind.USAGE_SPOOL_FULL, "usage cannot be recorded right now", null);
    }

    public Kind kind() {
        return kind;
    }

    public String param() {
        return param;
    }

    /** The same rejection telling the client when to retry (a {@code retry-after} header value), or null. */
    public Rejection withRetryAfter(String value) {
        return new Rejection(kind, getMessage(), param, value, headers);
    }

    public String retryAfter() {
        return retryAfter;
    }

    /**
     * The same rejection with more response headers (e.g. {@code x-ratelimit-*}), added to those it has; names are
     * kept lower-case. {@code retry-after} goes through {@link #withRetryAfter}, not here.
     */
    public Rejection withHeaders(Map<String, String> more) {
        Map<String, String> merged = new LinkedHashMap<>(headers);
        more.forEach((name, value) -> merged.put(name.toLowerCase(java.util.Locale.ROOT), value));
        return new Rejection(kind, getMessage(), param, retryAfter,
                java.util.Collections.unmodifiableMap(merged));
    }

    /** Extra response headers every dialect's error writer sends as they are (in insertion order). */
    public Map<String, String> headers() {
        return headers;
    }
}
