package dev.tollgate.relay.provider.azure;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.provider.UpstreamResult;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Which of Azure's refusals are about the channel's setup rather than the request. Azure's error bodies are
 * OpenAI's ({@code {"error":{"code","message"}}}, with codes such as {@code DeploymentNotFound},
 * {@code content_filter} or {@code "429"}) or, from an API Management gateway in front,
 * {@code {"statusCode":401,"message":…}}; their messages are read by the OpenAI reader already. Pure.
 */
final class AzureErrorReader {

    /** The deployment is missing, or cannot chat: the channel's configuration, not the client's request. */
    private static final Set<String> CHANNEL_CODES = Set.of("DeploymentNotFound", "OperationNotSupported");
    private static final int NOT_FOUND = 404;

    private AzureErrorReader() {
    }

    /**
     * A refusal about the channel's setup marked so; anything else unchanged. Every Azure 404 is one: the path
     * names the deployment (or the v1 body's model does), and the client asked for a model the channel lists.
     */
    static UpstreamResult classify(UpstreamResult result) {
        if (result instanceof UpstreamResult.Refused refused && aboutTheChannel(refused)) {
            return refused.asChannelFault();
        }
        return result;
    }

    private static boolean aboutTheChannel(UpstreamResult.Refused refused) {
        String code = code(refused.body());
        return refused.status() == NOT_FOUND || code != null && CHANNEL_CODES.contains(code);
    }

    /** {@code error.code} of an Azure error body, or null. */
    static String code(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode code = Json.mapper().readTree(body).path("error").path("code");
            return code.isString() ? code.asString() : null;
        } catch (JacksonException e) {
            return null;
        }
    }
}
