package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.provider.UpstreamResult;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An upstream's error answer → what an OpenAI client gets. Pure. Only errors about the client's own request
 * pass through; an upstream's auth, quota and server errors speak of the operator's account (an error text can
 * quote part of the channel key or the org id), so the client gets a generic error of its own instead.
 */
public final class OpenAiRefusalMapper {

    static final String AUTH_FAILED = "The upstream provider refused the gateway's credentials.";
    static final String RATE_LIMITED = "The upstream provider is rate limiting requests. Please retry after a short wait.";
    static final String UPSTREAM_ERROR = "The upstream provider returned an error. Please retry your request.";

    private static final Pattern DELTA_SECONDS = Pattern.compile("\\d{1,9}");

    private OpenAiRefusalMapper() {
    }

    /** Empty when the upstream's status and body pass to the client as they are. */
    public static Optional<Rejection> toRejection(UpstreamResult.Refused refused) {
        return switch (refused.status()) {
            // About the client's request (bad parameter, unknown model, conflict): theirs to read and fix.
            case 400, 404, 409, 422 -> Optional.empty();
            case 401, 403 -> Optional.of(Rejection.of(Rejection.Kind.UPSTREAM_AUTH_FAILED, AUTH_FAILED));
            case 429 -> Optional.of(Rejection.of(Rejection.Kind.UPSTREAM_RATE_LIMITED, RATE_LIMITED)
                    .withRetryAfter(retryAfter(refused.retryAfter())));
            default -> Optional.of(Rejection.of(Rejection.Kind.UPSTREAM_ERROR, UPSTREAM_ERROR));
        };
    }

    /** The upstream's retry-after if it is a well-formed one (seconds or an HTTP date), else null. */
    static String retryAfter(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        if (DELTA_SECONDS.matcher(trimmed).matches()) {
            return trimmed;
        }
        try {
            DateTimeFormatter.RFC_1123_DATE_TIME.parse(trimmed);
            return trimmed;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
