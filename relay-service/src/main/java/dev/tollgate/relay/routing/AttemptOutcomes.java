package dev.tollgate.relay.routing;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.provider.UpstreamResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** What an attempt came to, read from the upstream's answer or failure. Pure and static. */
public final class AttemptOutcomes {

    /** Error codes/types that say the upstream account itself is unusable, whatever the status. */
    private static final Set<String> ACCOUNT_CODES = Set.of("insufficient_quota", "account_deactivated",
            "billing_hard_limit_reached", "billing_not_active", "access_terminated");

    /**
     * Phrases of a 400/403 message that say the same (Anthropic sends "credit balance is too low" as a 400). Not a
     * bare "deactivated": a deactivated model is the request's problem, not the channel's.
     */
    private static final String[] ACCOUNT_PHRASES = {"credit balance is too low", "insufficient balance",
            "insufficient credit", "account is deactivated", "account has been deactivated", "account deactivated",
            "organization has been deactivated", "billing"};

    private AttemptOutcomes() {
    }

    public static AttemptOutcome succeeded() {
        return AttemptOutcome.succeeded();
    }

    /**
     * 429 → RATE_LIMITED (with Retry-After, seconds or an HTTP date, relative to {@code clock}); 408, 5xx, 529, 424
     * (Bedrock's model error) and non-error statuses → SERVER_ERROR; 401/403 → AUTH_REJECTED; 402 → ACCOUNT_PROBLEM;
     * other 4xx → CLIENT_ERROR. Before those, an error code saying the account is out of quota or deactivated
     * (OpenAI's {@code insufficient_quota} comes as a 429) → ACCOUNT_PROBLEM, and so does a 400 or 403 whose
     * message says so. A 429's message is not read: OpenAI's rate-limit messages link to the billing page. A
     * refusal its adapter knows to be about the channel's setup (an Azure deployment that does not exist) →
     * SERVER_ERROR, whatever its status: another channel may serve the request.
     */
    public static AttemptOutcome fromRefused(UpstreamResult.Refused refused, Clock clock) {
        int status = refused.status();
        String message = refused.message();
        if (refused.channelFault()) {
            return of(AttemptOutcome.Kind.SERVER_ERROR, refused, null);
        }
        if (hasAccountCode(refused.body())) {
            return of(AttemptOutcome.Kind.ACCOUNT_PROBLEM, refused, null);
        }
        if ((status == 400 || status == 403) && saysAccountProblem(message)) {
            return of(AttemptOutcome.Kind.ACCOUNT_PROBLEM, refused, null);
        }
        if (status == 429) {
            return of(AttemptOutcome.Kind.RATE_LIMITED, refused, retryAfter(refused.retryAfter(), clock));
        }
        if (status == 401 || status == 403) {
            return of(AttemptOutcome.Kind.AUTH_REJECTED, refused, null);
        }
        if (status == 402) {
            return of(AttemptOutcome.Kind.ACCOUNT_PROBLEM, refused, null);
        }
        if (status == 408 || status == 424 || status < 400 || status >= 500) {
            return of(AttemptOutcome.Kind.SERVER_ERROR, refused, null);
        }
        return of(AttemptOutcome.Kind.CLIENT_ERROR, refused, null);
    }

    /** No answer at all: a timeout, else unreachable (also for anything unexpected). */
    public static AttemptOutcome fromFailure(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof UpstreamFailure.TimedOut) {
                return new AttemptOutcome(AttemptOutcome.Kind.TIMED_OUT, 0, null, e.getMessage());
            }
            if (e instanceof UpstreamFailure.Unreachable) {
                return new AttemptOutcome(AttemptOutcome.Kind.UNREACHABLE, 0, null, e.getMessage());
            }
        }
        return new AttemptOutcome(AttemptOutcome.Kind.UNREACHABLE, 0, null,
                failure == null ? null : failure.getMessage());
    }

    /** A Retry-After value: delta seconds (fractions allowed) or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        try {
            double seconds = Double.parseDouble(text);
            if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
                return null;
            }
            return seconds <= 0 ? Duration.ZERO : Duration.ofMillis((long) Math.ceil(seconds * 1000));
        } catch (NumberFormatException notSeconds) {
            // An HTTP date, then.
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(clock.instant(), at);
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException notADate) {
            return null;
        }
    }

    private static AttemptOutcome of(AttemptOutcome.Kind kind, UpstreamResult.Refused refused, Duration retryAfter) {
        return new AttemptOutcome(kind, refused.status(), retryAfter, refused.message());
    }

    private static boolean saysAccountProblem(String message) {
        if (message == null) {
            return false;
        }
        String text = message.toLowerCase(Locale.ROOT);
        for (String phrase : ACCOUNT_PHRASES) {
            if (text.contains(phrase)) {
                return true;
            }
        }
        return false;
    }

    /** {@code error.code}/{@code error.type} (OpenAI, Anthropic) or a top-level one of a JSON body is an account code. */
    private static boolean hasAccountCode(byte[] body) {
        if (body == null || !startsWithBrace(body)) {
            return false;
        }
        try {
            JsonNode tree = Json.mapper().readTree(body);
            JsonNode error = tree.path("error");
            return isAccountCode(error.path("code")) || isAccountCode(error.path("type"))
                    || isAccountCode(tree.path("code")) || isAccountCode(tree.path("type"));
        } catch (JacksonException e) {
            return false;
        }
    }

    private static boolean isAccountCode(JsonNode node) {
        return node.isString() && ACCOUNT_CODES.contains(node.asString());
    }

    private static boolean startsWithBrace(byte[] body) {
        for (byte b : body) {
            if (b == '{') {
                return true;
            }
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return false;
    }
}
