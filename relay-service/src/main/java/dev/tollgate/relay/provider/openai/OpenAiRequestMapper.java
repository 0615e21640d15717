package dev.tollgate.relay.provider.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Message;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.ResponseFormat;
import dev.tollgate.relay.chat.Tool;
import dev.tollgate.relay.chat.ToolChoice;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.openai.wire.ChatChunk;
import dev.tollgate.relay.provider.openai.wire.ChatCompletionRequest;
import dev.tollgate.relay.provider.openai.wire.ChatCompletionRequest.ContentPart;
import dev.tollgate.relay.provider.openai.wire.ChatCompletionRequest.RequestMessage;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body sent to an OpenAI-compatible upstream: the client's own OpenAI request (pass-through), or an internal
 * {@link ChatRequest} written as an OpenAI chat completions request (translation). Pure.
 */
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

    /**
     * An internal request → an OpenAI chat completions body for {@code upstreamModel}. Streams always ask for usage
     * (the relay meters every stream).
     *
     * @throws Untranslatable when the request holds something OpenAI's chat API cannot express
     */
    public static byte[] createRequest(ChatRequest chat, String upstreamModel, boolean stream) {
        boolean hasTools = !chat.tools().isEmpty();
        ToolChoice choice = chat.toolChoice();
        if (chat.topK() != null) {
            throw new Untranslatable("top_k", "top_k is not supported by this model's provider (OpenAI chat API).");
        }
        ChatCompletionRequest request = new ChatCompletionRequest(
                upstreamModel,
                messages(chat),
                hasTools ? chat.tools().stream().map(OpenAiRequestMapper::tool).toList() : null,
                // OpenAI refuses tool_choice and parallel_tool_calls without tools; without tools there is no choice.
                hasTools && choice != null ? toolChoice(choice) : null,
                hasTools && choice != null && choice.disableParallel() ? Boolean.FALSE : null,
                chat.maxTokens(),
                chat.temperature(),
                chat.topP(),
                chat.stop().isEmpty() ? null : chat.stop(),
                chat.choices() > 1 ? chat.choices() : null,
                chat.seed(),
                responseFormat(chat.responseFormat()),
                chat.reasoning() == null ? null : chat.reasoning().effortOrFromBudget(),
                chat.frequencyPenalty(),
                chat.presencePenalty(),
                chat.user(),
                stream ? Boolean.TRUE : null,
                stream ? new ChatCompletionRequest.StreamOptions(true) : null);
        return Json.mapper().writeValueAsBytes(request);
    }

    private static List<RequestMessage> messages(ChatRequest chat) {
        List<RequestMessage> messages = new ArrayList<>();
        if (!chat.system().isEmpty()) {
            // One string: compatible servers (and some chat templates) take a system message's content only as text.
            List<String> texts = chat.system().stream().map(Part.Text::text).toList();
            messages.add(new RequestMessage("system", String.join("\n\n", texts), null, null));
        }
        for (int i = 0; i < chat.messages().size(); i++) {
            Message message = chat.messages().get(i);
            if (message.role() == Message.Role.ASSISTANT) {
                messages.add(assistant(message));
            } else {
                addUser(messages, message, i);
            }
        }
        return messages;
    }

    /** Tool results become {@code tool} messages, sent before the rest of the turn (they answer the last turn). */
    private static void addUser(List<RequestMessage> messages, Message message, int index) {
        List<ContentPart> content = new ArrayList<>();
        for (int j = 0; j < message.parts().size(); j++) {
            Part part = message.parts().get(j);
            String param = "messages[" + index + "].content[" + j + "]";
            if (part instanceof Part.ToolResult result) {
                messages.add(new RequestMessage("tool", toolResultText(result, param), null, result.toolUseId()));
            } else if (part instanceof Part.Text text) {
                content.add(ContentPart.text(text.text()));
            } else if (part instanceof Part.Image image) {
                content.add(ContentPart.image(imageUrl(image)));
            } else {
                throw new Untranslatable(param, "This content type cannot be sent in a user message to this model's "
                        + "provider (OpenAI chat API).");
            }
        }
        if (content.isEmpty()) {
            return;
        }
        boolean loneText = content.size() == 1 && "text".equals(content.get(0).type());
        messages.add(new RequestMessage("user", loneText ? content.get(0).text() : content, null, null));
    }

    /**
     * A tool result's text. Its error flag has no OpenAI field and is dropped: the result's own text says what
     * went wrong, which is what the model reads.
     */
    private static String toolResultText(Part.ToolResult result, String param) {
        StringBuilder text = new StringBuilder();
        for (Part part : result.content()) {
            if (part instanceof Part.Text t) {
                text.append(t.text());
            } else {
                throw new Untranslatable(param, "Images in tool results cannot be sent to this model's provider "
                        + "(OpenAI chat API takes only text from tools).");
            }
        }
        return text.toString();
    }

    /** Reasoning parts are dropped: OpenAI's chat API takes no reasoning back (each turn reasons afresh). */
    private static RequestMessage assistant(Message message) {
        StringBuilder text = new StringBuilder();
        boolean hasText = false;
        List<ChatCompletionRequest.ToolCall> calls = new ArrayList<>();
        for (Part part : message.parts()) {
            if (part instanceof Part.Text t) {
                text.append(t.text());
                hasText = true;
            } else if (part instanceof Part.ToolUse use) {
                String arguments = use.argumentsJson().isBlank() ? "{}" : use.argumentsJson();
                calls.add(new ChatCompletionRequest.ToolCall(use.id(), "function",
                        new ChatChunk.Function(use.name(), arguments)));
            }
        }
        String content = hasText || calls.isEmpty() ? text.toString() : null;
        return new RequestMessage("assistant", content, calls.isEmpty() ? null : calls, null);
    }

    private static String imageUrl(Part.Image image) {
        return image.inline() ? "data:" + image.mediaType() + ";base64," + image.data() : image.url();
    }

    private static ChatCompletionRequest.FunctionTool tool(Tool tool) {
        return new ChatCompletionRequest.FunctionTool("function", new ChatCompletionRequest.FunctionDefinition(
                tool.name(), tool.description(), tool.inputSchema(), tool.strict()));
    }

    private static Object toolChoice(ToolChoice choice) {
        switch (choice.mode()) {
            case NONE:
                return "none";
            case ANY:
                return "required";
            case TOOL:
                return new ChatCompletionRequest.NamedToolChoice("function",
                        new ChatCompletionRequest.NamedToolChoice.Name(choice.name()));
            default:
                return "auto";
        }
    }

    private static ChatCompletionRequest.ResponseFormat responseFormat(ResponseFormat format) {
        if (format == null) {
            return null;
        }
        switch (format.kind()) {
            case JSON_OBJECT:
                return new ChatCompletionRequest.ResponseFormat("json_object", null);
            case JSON_SCHEMA:
                // OpenAI requires a name; callers of other dialects give none.
                String name = format.name() == null || format.name().isBlank() ? "response" : format.name();
                return new ChatCompletionRequest.ResponseFormat("json_schema",
                        new ChatCompletionRequest.JsonSchema(name, format.schema(), format.strict()));
            default:
                return new ChatCompletionRequest.ResponseFormat("text", null);
        }
    }
}
