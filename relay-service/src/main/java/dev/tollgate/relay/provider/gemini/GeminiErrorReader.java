package dev.tollgate.relay.provider.gemini;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.provider.gemini.wire.ErrorBody;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Google's error body → what the relay reads of it: message, reason, retry delay, and the status it stands for. */
public final class GeminiErrorReader {

    private static final int MAX_PLAIN = 200;
    private static final String INVALID_KEY = "API_KEY_INVALID";

    private GeminiErrorReader() {
    }

    /** {@code error.message}; for a body that is not JSON, its text when short and not HTML; else null. */
    public static String messageOf(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.startsWith("{") || text.startsWith("[")) {
            ErrorBody.Detail error = read(body);
            return error == null ? null : error.message();
        }
        return text.isEmpty() || text.startsWith("<") || text.length() > MAX_PLAIN ? null : text;
    }

    /** The {@code reason} of the {@code ErrorInfo} detail ({@code API_KEY_INVALID}, …), or null. */
    public static String reasonOf(byte[] body) {
        ErrorBody.Detail error = read(body);
        if (error == null || error.details() == null) {
            return null;
        }
        for (JsonNode detail : error.details()) {
            if (detail.path("reason").isString()) {
                return detail.path("reason").asString();
            }
        }
        return null;
    }

    /**
     * The status the answer stands for. Google answers a key it does not know with 400 INVALID_ARGUMENT (reason
     * {@code API_KEY_INVALID}): that is the channel's credential, not the client's request, so it counts as the
     * 401 it means (failover, and the channel switched off).
     */
    public static int effectiveStatus(int status, byte[] body) {
        return status == 400 && INVALID_KEY.equals(reasonOf(body)) ? 401 : status;
    }

    /**
     * Google says when to retry in a {@code RetryInfo} detail ({@code "retryDelay": "37s"}), not a header: the
     * delay in whole seconds (rounded up) as a Retry-After value, or null.
     */
    public static String retryDelayOf(byte[] body) {
        ErrorBody.Detail error = read(body);
        if (error == null || error.details() == null) {
            return null;
        }
        for (JsonNode detail : error.details()) {
            String delay = detail.path("retryDelay").asString(null);
            if (delay != null && delay.endsWith("s")) {
                try {
                    BigDecimal seconds = new BigDecimal(delay.substring(0, delay.length() - 1));
                    return seconds.signum() < 0 ? null : seconds.setScale(0, RoundingMode.CEILING).toPlainString();
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Some proxies answer a one-element array of the error; Google itself an object. */
    private static ErrorBody.Detail read(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode tree = Json.mapper().readTree(body);
            if (tree != null && tree.isArray() && !tree.isEmpty()) {
                tree = tree.get(0);
            }
            if (tree == null || !tree.isObject()) {
                return null;
            }
            return Json.mapper().treeToValue(tree, ErrorBody.class).error();
        } catch (JacksonException | IllegalArgumentException e) {
            return null;
        }
    }
}
