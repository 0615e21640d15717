package dev.tollgate.relay.provider.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.provider.UpstreamCall;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Responses request for a channel that serves the Responses API itself: the client's body as it is, with the
 * model renamed to the channel's (or the Azure deployment) and {@code stream} set for a streamed call. Nothing else
 * is touched, and a body that needs no change is sent as the client's bytes. Pure.
 */
public final class ResponsesRequestMapper {

    private ResponsesRequestMapper() {
    }

    public static byte[] createRequest(UpstreamCall call, String model, boolean stream) {
        ObjectNode request = call.request();
        boolean streamSet = request.path("stream").booleanValue(false);
        if (model.equals(request.path("model").asString(null)) && stream == streamSet) {
            return call.rawBody();
        }
        ObjectNode body = request.deepCopy();
        body.put("model", model);
        if (stream) {
            body.put("stream", true);
        }
        return Json.mapper().writeValueAsBytes(body);
    }
}
