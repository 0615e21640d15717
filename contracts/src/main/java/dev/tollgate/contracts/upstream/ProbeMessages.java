package dev.tollgate.contracts.upstream;

import java.util.Locale;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Turns an upstream's answer into a verdict and a short message with nothing key-like in it. Pure. */
final class ProbeMessages {

    private static final int MAX_DETAIL = 160;
    /** A run of characters keys are made of. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_\\-+/=*.:]+");
    private static final Pattern KEY_PREFIX = Pattern.compile("(?i)(sk|rk|pk|ak|tg|key|sess|bearer)[-_:].{4,}");
    private static final Pattern LONG_HEX = Pattern.compile("(?i)[0-9a-f]{32,}");

    private ProbeMessages() {
    }

    static ProbeResult.Verdict verdict(int status, String upstreamDetail) {
        if (status >= 200 && status < 300) {
            return ProbeResult.Verdict.OK;
        }
        if (status == 402 || mentionsAccount(upstreamDetail)) {
            return ProbeResult.Verdict.ACCOUNT_PROBLEM;
        }
        if (status == 401 || status == 403 || status == 400 && googleDeadKey(upstreamDetail)) {
            return ProbeResult.Verdict.CREDENTIALS_REJECTED;
        }
        return ProbeResult.Verdict.UPSTREAM_ERROR;
    }

    /** Google answers a dead key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID, and says so in its message. */
    private static boolean googleDeadKey(String upstreamDetail) {
        return upstreamDetail != null
                && (upstreamDetail.contains("API key not valid") || upstreamDetail.contains("API_KEY_INVALID"));
    }

    static String message(ProbeResult.Verdict verdict, int status, String upstreamDetail, String apiKey) {
        String head;
        if (verdict == ProbeResult.Verdict.OK) {
            return "upstream answered " + status;
        } else if (verdict == ProbeResult.Verdict.CREDENTIALS_REJECTED) {
            head = "upstream refused the credentials (" + status + ")";
        } else if (verdict == ProbeResult.Verdict.ACCOUNT_PROBLEM) {
            head = "upstream reports an account problem (" + status + ")";
        } else {
            head = "upstream answered " + status;
        }
        String detail = scrub(upstreamDetail, apiKey);
        return detail == null || detail.isBlank() ? head : head + ": " + detail;
    }

    /** The upstream's own error message ({@code error.message}, {@code message}, {@code error} text), or null. */
    static String detail(JsonNode body) {
        if (body == null) {
            return null;
        }
        JsonNode error = body.path("error");
        if (error.isObject()) {
            String text = error.path("message").asString(null);
            String code = error.path("code").asString(error.path("type").asString(null));
            return text != null ? text : code;
        }
        if (error.isString()) {
            return error.asString();
        }
        return body.path("message").asString(null);
    }

    /** Removes the key itself and anything key-like, and cuts to a short line. */
    static String scrub(String text, String apiKey) {
        if (text == null) {
            return null;
        }
        String out = text;
        if (apiKey != null && apiKey.length() >= 4) {
            out = out.replace(apiKey, "***");
        }
        out = TOKEN.matcher(out).replaceAll(m -> keyLike(m.group()) ? "***" : java.util.regex.Matcher.quoteReplacement(m.group()));
        out = out.replaceAll("[\\r\\n\\t]+", " ").strip();
        return out.length() > MAX_DETAIL ? out.substring(0, MAX_DETAIL) + "…" : out;
    }

    /**
     * A known key prefix, a long hex string, or a long mixed-case-and-digits run (keys are high-entropy; model
     * names such as gpt-4o-mini-2024-07-18 are lower case and stay readable).
     */
    static boolean keyLike(String token) {
        if (KEY_PREFIX.matcher(token).matches() || LONG_HEX.matcher(token).matches()) {
            return true;
        }
        if (token.length() < 20) {
            return false;
        }
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            upper |= Character.isUpperCase(c);
            lower |= Character.isLowerCase(c);
            digit |= Character.isDigit(c);
        }
        return upper && lower && digit || token.length() >= 40;
    }

    private static boolean mentionsAccount(String detail) {
        if (detail == null) {
            return false;
        }
        String d = detail.toLowerCase(Locale.ROOT);
        return d.contains("insufficient_quota") || d.contains("credit balance") || d.contains("billing")
                || d.contains("deactivated") || d.contains("suspended");
    }
}
