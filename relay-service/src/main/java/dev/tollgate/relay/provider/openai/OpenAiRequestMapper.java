package dev.tollgate.relay.provider.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.provider.UpstreamCall;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Client's OpenAI chat request → the body sent to an OpenAI-compatible upstream. Pure. */
public final class OpenAiRequestMapper {

    private OpenAiRequestMapper() {
    }

    /**
     * The upstream body: the model renamed by the channel's mapping and, for streams, usage reporting forced on
     * (the relay meters every stream; the client's own choice is honoured on the way back). A non-streaming
     * request that needs no change is sent as the client's bytes.
     */
    public static byte[] createRequest(UpstreamCall call, boolean stream) {
        String upstreamModel = call.channel().upstreamModel(call.askedModel());
        if (!stream && upstreamModel.equals(call.askedModel())) {
            return call.rawBody();
        }
        ObjectNode body = call.request().deepCopy();
        body.put("model", upstreamModel);
        if (stream) {
            body.put("stream", true);
            JsonNode options = body.get("stream_options");
            ObjectNode streamOptions = options instanceof ObjectNode existing ? existing : body.putObject("stream_options");
            streamOptions.put("include_usage", true);
        }
        return Json.mapper().writeValueAsBytes(body);
    }
}
