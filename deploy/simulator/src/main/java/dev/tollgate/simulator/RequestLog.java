package dev.tollgate.simulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.netty.http.server.HttpServerRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The last {@value #CAPACITY} provider requests (control endpoints are not recorded), oldest first. */
final class RequestLog {

    static final int CAPACITY = 100;
    private static final List<String> KEPT_HEADERS = List.of("content-type", "accept", "anthropic-version",
            "anthropic-beta", "user-agent", "x-sim-flavour", "http-referer", "x-title");
    /** Credential headers whose presence (never their value) is kept, as {@value #PRESENT}. */
    private static final List<String> PRESENCE_HEADERS = List.of("api-key");
    static final String PRESENT = "(present)";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Deque<RecordedRequest> requests = new ArrayDeque<>();

    synchronized void add(RecordedRequest request) {
        if (requests.size() == CAPACITY) {
            requests.removeFirst();
        }
        requests.addLast(request);
    }

    synchronized List<RecordedRequest> all() {
        return List.copyOf(new ArrayList<>(requests));
    }

    synchronized RecordedRequest last() {
        return requests.peekLast();
    }

    synchronized void clear() {
        requests.clear();
    }

    static RecordedRequest of(HttpServerRequest request, String body) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String query = q < 0 ? null : uri.substring(q + 1);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : KEPT_HEADERS) {
            String value = request.requestHeaders().get(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        for (String name : PRESENCE_HEADERS) {
            if (request.requestHeaders().contains(name)) {
                headers.put(name, PRESENT);
            }
        }
        String authorization = request.requestHeaders().get("authorization");
        String scheme = null;
        if (authorization != null && !authorization.isBlank()) {
            scheme = authorization.trim().split("\\s+", 2)[0];
        }
        return new RecordedRequest(request.method().name(), path, query, headers, authorization != null, scheme,
                request.requestHeaders().contains("x-api-key"), parse(body), body,
                request.requestHeaders().contains("x-goog-api-key"));
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode tree = JSON.readTree(body);
            return tree == null || tree.isMissingNode() ? null : tree;
        } catch (JacksonException e) {
            return null;
        }
    }
}
