package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.Operation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/audio/speech} (JSON in, audio bytes out) for the chat pipeline's stages: passed through to
 * OpenAI-family channels only, the audio streamed back as it comes. The price rows have no per-character price,
 * so the input text is billed as input tokens counted locally (as the prompt of a chat is) at the model's input
 * price, plus its per-request price.
 */
public class OpenAiSpeechDialect extends OpenAiDialect {

    /** OpenAI's limit on {@code input}. */
    static final int MAX_INPUT_CHARS = 4096;

    public OpenAiSpeechDialect(OpenAiErrorWriter errors) {
        super(errors);
    }

    @Override
    public Operation operation() {
        return Operation.AUDIO_SPEECH;
    }

    /** @throws Rejection INVALID_REQUEST */
    @Override
    public InboundRequest validate(byte[] body) {
        ObjectNode tree = ChatRequestValidator.parse(body);
        String model = ChatRequestValidator.model(tree).asString();
        JsonNode input = tree.get("input");
        if (input == null || !input.isString() || input.asString().isEmpty()) {
            throw Rejection.invalid("Missing required parameter: 'input'.", "input");
        }
        if (input.asString().length() > MAX_INPUT_CHARS) {
            throw Rejection.invalid("Invalid 'input': string too long. Expected a string with maximum length "
                    + MAX_INPUT_CHARS + ".", "input");
        }
        if (!tree.path("voice").isString() && !tree.path("voice").isObject()) {
            throw Rejection.invalid("Missing required parameter: 'voice'.", "voice");
        }
        if (tree.path("stream_format").isString() && "sse".equals(tree.path("stream_format").asString())) {
            throw Rejection.invalid("Streamed speech events are not supported here: leave 'stream_format' unset.",
                    "stream_format");
        }
        return new InboundRequest(tree, body, model, false, false, 0L, 1);
    }

    @Override
    public ChatRequest toChat(ObjectNode tree) {
        throw new Untranslatable("model", "Speech has no translation to this model's provider.");
    }

    @Override
    public long countPrompt(ObjectNode tree) {
        return TextInputs.count(tree.get("input"));
    }
}
