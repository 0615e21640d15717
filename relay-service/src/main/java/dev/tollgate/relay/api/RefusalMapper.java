package dev.tollgate.relay.api;

import dev.tollgate.relay.provider.UpstreamResult;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An upstream's error answer → what the client gets, whatever its dialect. Pure. Only errors about the client's
 * own request reach it: as they are when the upstream speaks the client's dialect, else re-worded in the client's
 * dialect with the upstream's message. An upstream's auth, quota and server errors speak of the operator's
 * account (an error text can quote part of the channel key or the org id), so the client gets a generic error.
 */
public final class RefusalMapper {

    static final String AUTH_FAILED = "The upstream provider refused the gateway's credentials.";
    static final String RATE_LIMITED = "The upstream provider is rate limiting requests. Please retry after a short wait.";
    static final String UPSTREAM_ERROR = "The upstream provider returned an error. Please retry your request.";

    private static final Pattern DELTA_SECONDS = Pattern.compile("\\d{1,9}");
    /** 400s that are about the operator's upstream account, not the request (Anthropic answers 400 for these). */
    private static final Pattern ACCOUNT_PROBLEM = Pattern.compile(
            "credit balance|billing|quota|organization (has been|is) disabled|account", Pattern.CASE_INSENSITIVE);

    private RefusalMapper() {
    }

    /**
     * @param sameDialect the upstream speaks the client's dialect (its body can pass through)
     * @return empty when the upstream's status and body pass to the client as they are
     */
    public static Optional<Rejection> toRejection(UpstreamResult.Refused refused, boolean sameDialect) {
        int status = refused.status();
        if (refused.channelFault()) {
            // The operator's setup (say, a missing Azure deployment): the client can only retry.
            return Optional.of(Rejection.of(Rejection.Kind.UPSTREAM_ERROR, UPSTREAM_ERROR));
        }
        if (isAboutTheRequest(status) && !isAccountProblem(refused.message())) {
            if (sameDialect) {
                return Optional.empty();
            }
            return Optional.of(reworded(status, refused.message()));
        }
        return switch (status) {
            case 401, 403 -> Optional.of(Rejection.of(Rejection.Kind.UPSTREAM_AUTH_FAILED, AUTH_FAILED));
            case 429 -> Optional.of(Rejection.of(Rejection.Kind.UPSTREAM_RATE_LIMITED, RATE_LIMITED)
                    .withRetryAfter(retryAfter(refused.retryAfter())));
            default -> Optional.of(Rejection.of(Rejection.Kind.UPSTREAM_ERROR, UPSTREAM_ERROR));
        };
    }

    /** Bad parameter, unknown model, conflict, too large: the client's to read and fix. */
    private static boolean isAboutTheRequest(int status) {
        return status == 400 || status == 404 || status == 409 || status == 413 || status == 422;
    }

    private static boolean isAccountProblem(String message) {
        return message != null && ACCOUNT_PROBLEM.matcher(message).find();
    }

    private static Rejection reworded(int status, String message) {
        String text = message == null || message.isBlank()
                ? "The upstream provider rejected the request (HTTP " + status + ")." : message;
        if (status == 404) {
            return new Rejection(Rejection.Kind.MODEL_NOT_FOUND, text, null);
        }
        if (status == 413) {
            return Rejection.of(Rejection.Kind.REQUEST_TOO_LARGE, text);
        }
        return Rejection.invalid(text, null);
    }

    /** The upstream's retry-after if it is a well-formed one (seconds or an HTTP date), else null. */
    public static String retryAfter(String value) {
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
