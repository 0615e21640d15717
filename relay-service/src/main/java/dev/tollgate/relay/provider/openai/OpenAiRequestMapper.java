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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body sent to an OpenAI-compatible upstream: the client's own OpenAI request (pass-through), or an internal
 * {@link ChatRequest} written as an OpenAI chat completions request (translation). Pure.
 */
public final class OpenAiRequestMapper {

    private static final String MAX_TOKENS = "max_tokens";
    private static final String MAX_COMPLETION_TOKENS = "max_completion_tokens";
    private static final String STREAM_OPTIONS = "stream_options";
    private static final Pattern SHORT_TOOL_ID = Pattern.compile("[A-Za-z0-9]{9}");
    private static final char[] ALPHANUMERIC =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private OpenAiRequestMapper() {
    }

    /** {@link #createRequest(UpstreamCall, String, OpenAiPreset, boolean)} for the channel's own preset. */
    public static byte[] createRequest(UpstreamCall call, boolean stream) {
        return createRequest(call, call.upstreamModel(), OpenAiPreset.forProvider(call.channel().provider()), stream);
    }

    /**
     * The upstream body: the client's own, with the model renamed to {@code model} and, for streams, usage
     * reporting forced on (the relay meters every stream; the client's own choice is honoured on the way back) —
     * unless the server's preset says it takes no {@code stream_options}, which are then removed. A server that
     * knows only {@code max_tokens} gets the client's {@code max_completion_tokens} under that name. A
     * non-streaming request that needs no change is sent as the client's bytes.
     */
    public static byte[] createRequest(UpstreamCall call, String model, OpenAiPreset preset, boolean stream) {
        ObjectNode request = call.request();
        boolean renameLimit = preset.renamesMaxCompletionTokens() && request.has(MAX_COMPLETION_TOKENS);
        boolean dropOptions = !preset.streamUsage() && request.has(STREAM_OPTIONS);
        if (!stream && model.equals(call.askedModel()) && !renameLimit && !dropOptions) {
            return call.rawBody();
        }
        ObjectNode body = request.deepCopy();
        body.put("model", model);
        if (renameLimit) {
            JsonNode limit = body.remove(MAX_COMPLETION_TOKENS);
            if (!body.has(MAX_TOKENS)) {
                body.set(MAX_TOKENS, limit);
            }
        }
        if (stream) {
            body.put("stream", true);
        }
        if (!preset.streamUsage()) {
            body.remove(STREAM_OPTIONS);
        } else if (stream) {
            JsonNode options = body.get(STREAM_OPTIONS);
            ObjectNode streamOptions = options instanceof ObjectNode existing ? existing : body.putObject(STREAM_OPTIONS);
            streamOptions.put("include_usage", true);
        }
        return Json.mapper().writeValueAsBytes(body);
    }

    /** {@link #createRequest(ChatRequest, String, OpenAiPreset, boolean)} for any compatible server. */
    public static byte[] createRequest(ChatRequest chat, String upstreamModel, boolean stream) {
        return createRequest(chat, upstreamModel, OpenAiPreset.COMPATIBLE, stream);
    }

    /**
     * An internal request → an OpenAI chat completions body for {@code upstreamModel}, shaped for the server's
     * preset: streams ask for usage where it takes {@code stream_options} (the relay meters every stream), the
     * output limit goes in the field it knows, and tool-call ids are made short where it wants them so.
     *
     * @throws Untranslatable when the request holds something OpenAI's chat API cannot express
     */
    public static byte[] createRequest(ChatRequest chat, String upstreamModel, OpenAiPreset preset, boolean stream) {
        boolean hasTools = !chat.tools().isEmpty();
        ToolChoice choice = chat.toolChoice();
        if (chat.topK() != null) {
            throw new Untranslatable("top_k", "top_k is not supported by this model's provider (OpenAI chat API).");
        }
        boolean completionLimit = preset.outputLimit() == OpenAiPreset.OutputLimit.MAX_COMPLETION_TOKENS;
        UnaryOperator<String> toolIds = preset.shortToolIds() ? OpenAiRequestMapper::shortToolId : id -> id;
        ChatCompletionRequest request = new ChatCompletionRequest(
                upstreamModel,
                messages(chat, toolIds),
                hasTools ? chat.tools().stream().map(OpenAiRequestMapper::tool).toList() : null,
                // OpenAI refuses tool_choice and parallel_tool_calls without tools; without tools there is no choice.
                hasTools && choice != null ? toolChoice(choice) : null,
                hasTools && choice != null && choice.disableParallel() ? Boolean.FALSE : null,
                completionLimit ? null : chat.maxTokens(),
                completionLimit ? chat.maxTokens() : null,
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
                stream && preset.streamUsage() ? new ChatCompletionRequest.StreamOptions(true) : null);
        return Json.mapper().writeValueAsBytes(request);
    }

    /**
     * A tool-call id as 9 letters and digits (Mistral's rule): kept when it is one already (the server's own, sent
     * back), else derived from a hash of it, so a call and its result still pair up.
     */
    static String shortToolId(String id) {
        if (id == null || SHORT_TOOL_ID.matcher(id).matches()) {
            return id;
        }
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
        char[] out = new char[9];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHANUMERIC[(hash[i] & 0xff) % ALPHANUMERIC.length];
        }
        return new String(out);
    }

    private static List<RequestMessage> messages(ChatRequest chat, UnaryOperator<String> toolIds) {
        List<RequestMessage> messages = new ArrayList<>();
        if (!chat.system().isEmpty()) {
            // One string: compatible servers (and some chat templates) take a system message's content only as text.
            List<String> texts = chat.system().stream().map(Part.Text::text).toList();
            messages.add(new RequestMessage("system", String.join("\n\n", texts), null, null));
        }
        for (int i = 0; i < chat.messages().size(); i++) {
            Message message = chat.messages().get(i);
            if (message.role() == Message.Role.ASSISTANT) {
                messages.add(assistant(message, toolIds));
            } else {
                addUser(messages, message, i, toolIds);
            }
        }
        return messages;
    }

    /** Tool results become {@code tool} messages, sent before the rest of the turn (they answer the last turn). */
    private static void addUser(List<RequestMessage> messages, Message message, int index,
            UnaryOperator<String> toolIds) {
        List<ContentPart> content = new ArrayList<>();
        for (int j = 0; j < message.parts().size(); j++) {
            Part part = message.parts().get(j);
            String param = "messages[" + index + "].content[" + j + "]";
            if (part instanceof Part.ToolResult result) {
                messages.add(new RequestMessage("tool", toolResultText(result, param), null,
                        toolIds.apply(result.toolUseId())));
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
    private static RequestMessage assistant(Message message, UnaryOperator<String> toolIds) {
        StringBuilder text = new StringBuilder();
        boolean hasText = false;
        List<ChatCompletionRequest.ToolCall> calls = new ArrayList<>();
        for (Part part : message.parts()) {
            if (part instanceof Part.Text t) {
                text.append(t.text());
                hasText = true;
            } else if (part instanceof Part.ToolUse use) {
                String arguments = use.argumentsJson().isBlank() ? "{}" : use.argumentsJson();
                calls.add(new ChatCompletionRequest.ToolCall(toolIds.apply(use.id()), "function",
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
