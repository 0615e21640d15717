package dev.tollgate.relay.api.anthropic;

import dev.tollgate.contracts.Ids;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.api.Rejections;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Errors in Anthropic's shape: {@code {"type":"error","error":{"type","message"},"request_id"}}, with the
 * {@code request-id} header Anthropic's SDKs read (and {@code x-request-id}, as on every relay answer). The status
 * is the {@link Rejection.Kind}'s, the same in every dialect; only the type is Anthropic's.
 */
public class AnthropicErrorWriter {

    public static final String REQUEST_ID_HEADER = "request-id";

    public Mono<ServerResponse> write(Rejection rejection, String requestId) {
        ServerResponse.BodyBuilder response = ServerResponse.status(rejection.kind().status())
                .header(REQUEST_ID_HEADER, requestId)
                .header("x-request-id", requestId)
                .contentType(MediaType.APPLICATION_JSON);
        if (rejection.retryAfter() != null) {
            response = response.header("retry-after", rejection.retryAfter());
        }
        for (var header : rejection.headers().entrySet()) {
            response = response.header(header.getKey(), header.getValue());
        }
        return response.bodyValue(body(rejection, requestId));
    }

    /**
     * Any failure of the chain as a rejection: what the upstream's dialect cannot express is the caller's 400;
     * the rest as on the OpenAI side (upstream failures by kind, anything unexplained a bare 500).
     */
    public static Rejection toRejection(Throwable error) {
        return Rejections.from(error);
    }

    /** Unknown {@code /v1/**} paths asked by an Anthropic client, in its words. */
    public Mono<ServerResponse> unknownUrl(ServerRequest request) {
        return write(Rejection.of(Rejection.Kind.UNKNOWN_URL,
                "Not found: " + request.method().name() + " " + request.path()), Ids.uuidV7().toString());
    }

    public static byte[] body(Rejection rejection) {
        return body(rejection, null);
    }

    static byte[] body(Rejection rejection, String requestId) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("type", "error");
        ObjectNode error = body.putObject("error");
        error.put("type", type(rejection.kind()));
        error.put("message", rejection.getMessage());
        if (requestId != null) {
            body.put("request_id", requestId);
        }
        return Json.mapper().writeValueAsBytes(body);
    }

    static String type(Rejection.Kind kind) {
        switch (kind) {
            case INVALID_REQUEST:
            case MODEL_NOT_PRICED:
                return "invalid_request_error";
            case INVALID_API_KEY:
                return "authentication_error";
            case IP_NOT_ALLOWED:
                return "permission_error";
            case MODEL_NOT_FOUND:
            case UNKNOWN_URL:
            case NOT_FOUND:
                return "not_found_error";
            case REQUEST_TOO_LARGE:
                return "request_too_large";
            case INSUFFICIENT_QUOTA:
                // Anthropic's type for an exhausted balance (it sends it with 402; the status stays the kind's 429).
                return "billing_error";
            case UPSTREAM_RATE_LIMITED:
            case RATE_LIMITED:
                return "rate_limit_error";
            case UPSTREAM_TIMEOUT:
                return "timeout_error";
            case UNAVAILABLE:
            case USAGE_SPOOL_FULL:
                return "overloaded_error";
            default:
                return "api_error";
        }
    }
}
