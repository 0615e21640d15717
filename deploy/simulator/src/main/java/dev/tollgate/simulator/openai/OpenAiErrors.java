package dev.tollgate.simulator.openai;

import dev.tollgate.simulator.SimulatorHttp;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/** OpenAI's error body, {@code {"error": {message, type, param, code}}}, as every OpenAI endpoint answers it. */
final class OpenAiErrors {

    private OpenAiErrors() {
    }

    /** The error body; a null {@code param} or {@code code} is written as JSON null, as OpenAI does. */
    static String json(ObjectMapper json, String message, String type, String param, String code) {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return json.writeValueAsString(body);
    }

    /** A 400 {@code invalid_request_error} naming {@code param} (may be null), with no code. */
    static Mono<Void> badRequest(ObjectMapper json, HttpServerResponse response, String message, String param) {
        return SimulatorHttp.sendJson(response, 400, json(json, message, "invalid_request_error", param, null));
    }
}
