package dev.tollgate.relay.api.gemini;

import dev.tollgate.contracts.Ids;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.Rejection;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Errors in Google's shape: {@code {"error":{"code":400,"message":"…","status":"INVALID_ARGUMENT"}}}, which the
 * Gemini SDKs raise as their API error. The HTTP status is the {@link Rejection.Kind}'s, the same in every dialect;
 * {@code status} is the canonical Google code that goes with it.
 */
public class GeminiErrorWriter {

    public static final String REQUEST_ID_HEADER = "x-request-id";

    public Mono<ServerResponse> write(Rejection rejection, String requestId) {
        ServerResponse.BodyBuilder response = ServerResponse.status(rejection.kind().status())
                .header(REQUEST_ID_HEADER, requestId)
                .contentType(MediaType.APPLICATION_JSON);
        if (rejection.retryAfter() != null) {
            response = response.header("retry-after", rejection.retryAfter());
        }
        for (var header : rejection.headers().entrySet()) {
            response = response.header(header.getKey(), header.getValue());
        }
        return response.bodyValue(body(rejection));
    }

    /** Unknown {@code /v1beta/**} paths (and methods), in Google's words. */
    public Mono<ServerResponse> unknownUrl(ServerRequest request) {
        return write(Rejection.of(Rejection.Kind.UNKNOWN_URL, "The requested URL " + request.method().name() + " "
                + request.path() + " was not found on this server."), Ids.uuidV7().toString());
    }

    static byte[] body(Rejection rejection) {
        ObjectNode body = Json.mapper().createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", rejection.kind().status());
        error.put("message", rejection.getMessage());
        error.put("status", status(rejection.kind()));
        return Json.mapper().writeValueAsBytes(body);
    }

    /** Google's canonical code for each kind (google.rpc.Code, as its REST answers name it). */
    static String status(Rejection.Kind kind) {
        return switch (kind) {
            case INVALID_REQUEST, MODEL_NOT_PRICED, REQUEST_TOO_LARGE -> "INVALID_ARGUMENT";
            case INVALID_API_KEY -> "UNAUTHENTICATED";
            case IP_NOT_ALLOWED -> "PERMISSION_DENIED";
            case MODEL_NOT_FOUND, UNKNOWN_URL, NOT_FOUND -> "NOT_FOUND";
            case INSUFFICIENT_QUOTA, RATE_LIMITED, UPSTREAM_RATE_LIMITED -> "RESOURCE_EXHAUSTED";
            case UPSTREAM_UNREACHABLE, UPSTREAM_ERROR, UPSTREAM_AUTH_FAILED, UNAVAILABLE, USAGE_SPOOL_FULL ->
                    "UNAVAILABLE";
            case UPSTREAM_TIMEOUT -> "DEADLINE_EXCEEDED";
            default -> "INTERNAL";
        };
    }
}
