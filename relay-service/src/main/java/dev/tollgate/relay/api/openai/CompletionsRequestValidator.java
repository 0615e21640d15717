package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Legacy {@code POST /v1/completions} bytes → {@link InboundRequest}, or a 400 naming the offending parameter, in
 * OpenAI's words. Pure.
 */
public final class CompletionsRequestValidator {

    /** OpenAI's default {@code max_tokens} for this endpoint, reserved when the request names none. */
    static final long DEFAULT_MAX_TOKENS = 16;
    /** OpenAI's limit on {@code best_of}. */
    static final long MAX_BEST_OF = 20;

    private CompletionsRequestValidator() {
    }

    /** @throws Rejection INVALID_REQUEST */
    public static InboundRequest validate(byte[] body) {
        ObjectNode tree = ChatRequestValidator.parse(body);
        JsonNode model = ChatRequestValidator.model(tree);
        TextInputs.check(tree.get("prompt"), "prompt");
        boolean stream = ChatRequestValidator.optionalBoolean(tree, "stream");
        Long maxTokens = ChatRequestValidator.boundedInteger(tree, "max_tokens",
                ChatRequestValidator.MAX_OUTPUT_TOKENS);
        Long choices = ChatRequestValidator.boundedInteger(tree, "n", ChatRequestValidator.MAX_CHOICES);
        Long bestOf = ChatRequestValidator.boundedInteger(tree, "best_of", MAX_BEST_OF);
        boolean includeUsage = ChatRequestValidator.includeUsage(tree);
        // best_of candidates are generated (and billed) server-side, n of them returned.
        long generated = Math.max(choices == null ? 1 : choices, bestOf == null ? 1 : bestOf);
        return new InboundRequest(tree, body, model.asString(), stream, includeUsage,
                maxTokens == null ? DEFAULT_MAX_TOKENS : maxTokens, (int) generated);
    }
}
