package dev.tollgate.relay.api.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.api.Rejections;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/** Errors in OpenAI's shape: {@code {"error":{"message","type","param","code"}}}, never a stack trace. */
public class OpenAiErrorWriter {

    public static final String REQUEST_ID_HEADER = "x-request-id";
    public static final String RETRY_AFTER_HEADER = "retry-after";

    public Mono<ServerResponse> write(Rejection rejection, String requestId) {
        ServerResponse.BodyBuilder response = ServerResponse.status(rejection.kind().status())
                .header(REQUEST_ID_HEADER, requestId)
                .contentType(MediaType.APPLICATION_JSON);
        if (rejection.retryAfter() != null) {
            response = response.header(RETRY_AFTER_HEADER, rejection.retryAfter());
        }
        for (var header : rejection.headers().entrySet()) {
            response = response.header(header.getKey(), header.getValue());
        }
        return response.bodyValue(body(rejection));
    }

    /** Any failure of the chain as a rejection (see {@link Rejections#from}). */
    public static Rejection toRejection(Throwable error) {
        return Rejections.from(error);
    }

    /** Unknown {@code /v1/**} paths, in OpenAI's words. */
    public Mono<ServerResponse> unknownUrl(ServerRequest request) {
        String requestId = dev.tollgate.contracts.Ids.uuidV7().toString();
        return write(Rejection.of(Rejection.Kind.UNKNOWN_URL,
                "Invalid URL (" + request.method().name() + " " + request.path() + ")"), requestId);
    }

    static byte[] body(Rejection rejection) {
        ObjectNode body = Json.mapper().createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", rejection.getMessage());
        error.put("type", type(rejection));
        error.put("param", rejection.param());
        error.put("code", code(rejection.kind()));
        return Json.mapper().writeValueAsBytes(body);
    }

    /**
     * OpenAI names the exhausted dimension of its own rate limits as the type ({@code requests} or {@code tokens});
     * the rejection's {@code x-ratelimit-remaining-requests} says which one ran out.
     */
    static String type(Rejection rejection) {
        if (rejection.kind() == Rejection.Kind.RATE_LIMITED) {
            return "0".equals(rejection.headers().get("x-ratelimit-remaining-requests")) ? "requests" : "tokens";
        }
        return type(rejection.kind());
    }

    static String type(Rejection.Kind kind) {
        switch (kind) {
            case INSUFFICIENT_QUOTA:
                return "insufficient_quota";
            case UPSTREAM_UNREACHABLE:
            case UPSTREAM_ERROR:
            case UPSTREAM_AUTH_FAILED:
                return "upstream_error";
            case UPSTREAM_RATE_LIMITED:
                return "rate_limit_error";
            case UPSTREAM_TIMEOUT:
                return "timeout";
            case INTERNAL:
            case UNAVAILABLE:
            case USAGE_SPOOL_FULL:
                return "server_error";
            default:
                return "invalid_request_error";
        }
    }

    static String code(Rejection.Kind kind) {
        // Plain 400s carry no code, like OpenAI's own; the rest name their reason.
        return kind == Rejection.Kind.INVALID_REQUEST ? null : kind.errorClass();
    }
}
