package dev.tollgate.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One request as it reached the simulator, for tests that check what the gateway sent upstream.
 * Credentials are never kept: only whether they were present and, for Authorization, its scheme.
 *
 * @param method        HTTP method, e.g. {@code POST}
 * @param path          the path as sent (still URL-encoded, e.g. {@code /model/a%3A0/converse}), without query
 * @param query         the query string without {@code ?}, or null
 * @param headers       a few telling headers by lower-case name: content-type, accept, anthropic-version,
 *                      anthropic-beta, user-agent, x-sim-flavour, http-referer, x-title (absent ones are left out),
 *                      and Azure's api-key as {@code (present)} when sent
 * @param authorization whether an Authorization header was present
 * @param authScheme    the first word of the Authorization header ({@code Bearer}, {@code AWS4-HMAC-SHA256}),
 *                      or null
 * @param apiKey        whether an x-api-key header was present
 * @param googApiKey    whether an x-goog-api-key header (Gemini's) was present
 * @param body          the body parsed as JSON, or null when it is empty or not JSON
 * @param text          the body as received (UTF-8), empty when there was none
 */
public record RecordedRequest(
        String method,
        String path,
        String query,
        Map<String, String> headers,
        boolean authorization,
        String authScheme,
        boolean apiKey,
        JsonNode body,
        String text,
        boolean googApiKey) {

    public RecordedRequest {
        headers = Map.copyOf(headers);
    }

    /** The path with %-escapes decoded ({@code +} stays a plus, as in a path). */
    public String decodedPath() {
        return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
