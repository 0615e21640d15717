package dev.tollgate.relay.api.openai;

import static dev.tollgate.relay.api.openai.OpenAiFields.addUser;
import static dev.tollgate.relay.api.openai.OpenAiFields.arguments;
import static dev.tollgate.relay.api.openai.OpenAiFields.number;
import static dev.tollgate.relay.api.openai.OpenAiFields.present;
import static dev.tollgate.relay.api.openai.OpenAiFields.reasoning;
import static dev.tollgate.relay.api.openai.OpenAiFields.text;
import static dev.tollgate.relay.api.openai.OpenAiFields.user;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Message;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.ResponseFormat;
import dev.tollgate.relay.chat.Tool;
import dev.tollgate.relay.chat.ToolCallIds;
import dev.tollgate.relay.chat.ToolChoice;
import dev.tollgate.relay.chat.Untranslatable;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OpenAI chat completions request (already checked by {@link ChatRequestValidator}) → the internal
 * {@link ChatRequest}, for an upstream of another dialect. Pure.
 *
 * <p>What other dialects cannot express is refused with {@link Untranslatable} when given a non-neutral value:
 * log probabilities, logit bias, audio, file inputs, predicted outputs, web search. Dropped on purpose: message
 * {@code name}s (they tell same-role speakers apart; no other dialect has an author per message, and they carry no
 * instruction), {@code store} and {@code metadata} (storage on OpenAI's side, meaningless elsewhere),
 * {@code service_tier} (a billing tier of OpenAI's account; the channel's upstream has its own), image
 * {@code detail} and {@code prompt_cache_key} (cost hints, not meaning). Unknown fields are ignored: they cannot be
 * judged.
 */
public final class OpenAiRequestParser {


    private OpenAiRequestParser() {
    }

    /**
     * @throws Untranslatable when the request asks for something only OpenAI can do
     * @throws Rejection      INVALID_REQUEST when a message or tool is malformed
     */
    public static ChatRequest toChat(ObjectNode tree) {
        refuseUntranslatable(tree);
        List<Part.Text> system = new ArrayList<>();
        List<Message> messages = new ArrayList<>();
        JsonNode wireMessages = tree.path("messages");
        for (int i = 0; i < wireMessages.size(); i++) {
            addMessage(system, messages, wireMessages.get(i), "messages[" + i + "]");
        }
        return new ChatRequest(
                text(tree.get("model")),
                system,
                messages,
                tools(tree),
                toolChoice(tree),
                firstLong(tree, "max_completion_tokens", "max_tokens"),
                number(tree.get("temperature")),
                number(tree.get("top_p")),
                null,
                stop(tree.get("stop")),
                tree.path("stream").booleanValue(false),
                tree.path("n").isIntegralNumber() ? tree.path("n").intValue() : 1,
                tree.path("seed").isIntegralNumber() ? tree.path("seed").longValue() : null,
                responseFormat(tree.get("response_format")),
                reasoning(tree.get("reasoning_effort")),
                number(tree.get("frequency_penalty")),
                number(tree.get("presence_penalty")),
                user(tree));
    }

    private static void refuseUntranslatable(ObjectNode tree) {
        if (tree.path("logprobs").booleanValue(false)) {
            throw untranslatable("logprobs");
        }
        if (tree.path("top_logprobs").isNumber() && tree.path("top_logprobs").intValue() > 0) {
            throw untranslatable("top_logprobs");
        }
        if (tree.path("logit_bias").isObject() && !tree.path("logit_bias").isEmpty()) {
            throw untranslatable("logit_bias");
        }
        if (present(tree.get("audio"))) {
            throw untranslatable("audio");
        }
        for (JsonNode modality : tree.path("modalities")) {
            if ("audio".equals(modality.asString(""))) {
                throw untranslatable("modalities");
            }
        }
        if (present(tree.get("prediction"))) {
            throw untranslatable("prediction");
        }
        if (present(tree.get("web_search_options"))) {
            throw untranslatable("web_search_options");
        }
    }

    private static Untranslatable untranslatable(String param) {
        return new Untranslatable(param, "'" + param + "' is not supported with this model.");
    }

    private static void addMessage(List<Part.Text> system, List<Message> messages, JsonNode message, String param) {
        if (!message.isObject()) {
            throw Rejection.invalid("Invalid type for '" + param + "': expected an object.", param);
        }
        String role = message.path("role").asString("");
        switch (role) {
            case "system":
            case "developer":
                // A system message after the first turn still instructs: kept, in order, with the others.
                for (Part part : content(message.get("content"), param, false)) {
                    system.add((Part.Text) part);
                }
                break;
            case "user":
                addUser(messages, content(message.get("content"), param, true));
                break;
            case "assistant":
                messages.add(assistant(message, param));
                break;
            case "tool":
                addUser(messages, List.of(new Part.ToolResult(ToolCallIds.plainId(text(message.get("tool_call_id"))),
                        content(message.get("content"), param, false), false, null)));
                break;
            case "function":
                // The pre-tools form has no call id: the function's name stands in for it (as for function_call).
                addUser(messages, List.of(new Part.ToolResult(text(message.get("name")),
                        content(message.get("content"), param, false), false, null)));
                break;
            default:
                throw Rejection.invalid("Invalid value: '" + role + "'. Supported values are: 'system', "
                        + "'assistant', 'user', 'function', 'tool', and 'developer'.", param + ".role");
        }
    }


    private static Part thinkingBlock(JsonNode block, String param) {
        String type = block.path("type").asString("");
        if ("thinking".equals(type)) {
            return new Part.Thinking(block.path("thinking").asString(""), text(block.get("signature")));
        }
        if ("redacted_thinking".equals(type) && block.path("data").isString()) {
            return new Part.RedactedThinking(block.path("data").asString());
        }
        throw Rejection.invalid("Invalid thinking block: type must be 'thinking' (with thinking and signature) or "
                + "'redacted_thinking' (with data).", param);
    }

    private static Message assistant(JsonNode message, String param) {
        List<Part> parts = new ArrayList<>();
        JsonNode blocks = message.get("thinking_blocks");
        if (blocks != null && blocks.isArray() && !blocks.isEmpty()) {
            // Signed reasoning this relay handed out (LiteLLM's shape); it supersedes the unsigned reasoning_content.
            for (int b = 0; b < blocks.size(); b++) {
                parts.add(thinkingBlock(blocks.get(b), param + ".thinking_blocks[" + b + "]"));
            }
        } else {
            String reasoning = text(message.get("reasoning_content"));
            if (reasoning != null && !reasoning.isEmpty()) {
                parts.add(new Part.Thinking(reasoning, null));
            }
        }
        JsonNode content = message.get("content");
        if (content != null && content.isArray()) {
            for (int j = 0; j < content.size(); j++) {
                JsonNode part = content.get(j);
                String type = part.path("type").asString("");
                if ("text".equals(type)) {
                    parts.add(Part.Text.of(part.path("text").asString("")));
                } else if ("refusal".equals(type)) {
                    parts.add(Part.Text.of(part.path("refusal").asString("")));
                } else {
                    throw new Untranslatable(param + ".content[" + j + "]",
                            "Content of type '" + type + "' is not supported with this model.");
                }
            }
        } else if (content != null && content.isString() && !content.asString().isEmpty()) {
            parts.add(Part.Text.of(content.asString()));
        }
        String refusal = text(message.get("refusal"));
        if (refusal != null && !refusal.isEmpty()) {
            parts.add(Part.Text.of(refusal));
        }
        if (present(message.get("audio"))) {
            throw untranslatable(param + ".audio");
        }
        JsonNode calls = message.path("tool_calls");
        for (int k = 0; k < calls.size(); k++) {
            JsonNode call = calls.get(k);
            String type = call.path("type").asString("function");
            if (!"function".equals(type)) {
                throw new Untranslatable(param + ".tool_calls[" + k + "]",
                        "Tool calls of type '" + type + "' are not supported with this model.");
            }
            JsonNode function = call.path("function");
            // An id this relay made carries the upstream's signature of the call (ToolCallIds).
            ToolCallIds.Decoded id = ToolCallIds.decode(text(call.get("id")));
            parts.add(new Part.ToolUse(id.id(), function.path("name").asString(""),
                    arguments(function.get("arguments")), null, id.signature()));
        }
        JsonNode legacy = message.get("function_call");
        if (legacy != null && legacy.isObject()) {
            String name = legacy.path("name").asString("");
            parts.add(new Part.ToolUse(name, name, arguments(legacy.get("arguments")), null));
        }
        return new Message(Message.Role.ASSISTANT, parts);
    }


    /**
     * A message's content: a string, or an array of parts. Only user messages may carry images; audio and file
     * parts have no counterpart elsewhere.
     */
    private static List<Part> content(JsonNode content, String param, boolean imagesAllowed) {
        List<Part> parts = new ArrayList<>();
        if (content == null || content.isNull()) {
            return parts;
        }
        if (content.isString()) {
            parts.add(Part.Text.of(content.asString()));
            return parts;
        }
        if (!content.isArray()) {
            throw Rejection.invalid("Invalid type for '" + param + ".content': expected a string or an array.",
                    param + ".content");
        }
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String partParam = param + ".content[" + j + "]";
            String type = part.path("type").asString("");
            if ("text".equals(type)) {
                parts.add(Part.Text.of(part.path("text").asString("")));
            } else if ("image_url".equals(type) && imagesAllowed) {
                parts.add(image(part.path("image_url"), partParam));
            } else if ("input_audio".equals(type) || "file".equals(type) || "image_url".equals(type)) {
                throw new Untranslatable(partParam, "Content of type '" + type + "' is not supported with this model.");
            } else {
                throw Rejection.invalid("Invalid value: '" + type + "'. Supported values are: 'text', 'image_url', "
                        + "'input_audio', 'refusal', and 'file'.", partParam + ".type");
            }
        }
        return parts;
    }

    /** {@code data:<media>;base64,<data>} inline, or an http(s) URL the target fetches itself. */
    private static Part.Image image(JsonNode imageUrl, String param) {
        String url = imageUrl.isString() ? imageUrl.asString() : imageUrl.path("url").asString("");
        return OpenAiFields.image(url, param + ".image_url.url");
    }

    private static List<Tool> tools(ObjectNode tree) {
        List<Tool> tools = new ArrayList<>();
        JsonNode wireTools = tree.path("tools");
        for (int i = 0; i < wireTools.size(); i++) {
            JsonNode tool = wireTools.get(i);
            String type = tool.path("type").asString("");
            if (!"function".equals(type)) {
                throw new Untranslatable("tools[" + i + "].type",
                        "Tools of type '" + type + "' are not supported with this model.");
            }
            tools.add(tool(tool.path("function"), tool.path("function").get("strict")));
        }
        // The pre-tools form: functions are function tools without the wrapper.
        for (JsonNode function : tree.path("functions")) {
            tools.add(tool(function, null));
        }
        return tools;
    }

    private static Tool tool(JsonNode function, JsonNode strict) {
        JsonNode parameters = function.get("parameters");
        if (parameters == null || parameters.isNull()) {
            // OpenAI's default: a function without parameters takes an empty object.
            ObjectNode empty = Json.mapper().createObjectNode();
            empty.put("type", "object");
            empty.putObject("properties");
            parameters = empty;
        }
        return new Tool(function.path("name").asString(""), text(function.get("description")), parameters,
                strict != null && strict.isBoolean() ? strict.booleanValue() : null, null);
    }

    /** {@code tool_choice} (or the older {@code function_call}) with {@code parallel_tool_calls}. */
    private static ToolChoice toolChoice(ObjectNode tree) {
        boolean disableParallel = !tree.path("parallel_tool_calls").booleanValue(true);
        JsonNode choice = tree.get("tool_choice");
        String param = "tool_choice";
        if (!present(choice)) {
            choice = tree.get("function_call");
            param = "function_call";
        }
        if (!present(choice)) {
            return disableParallel ? new ToolChoice(ToolChoice.Mode.AUTO, null, true) : null;
        }
        if (choice.isString()) {
            switch (choice.asString()) {
                case "none":
                    return new ToolChoice(ToolChoice.Mode.NONE, null, disableParallel);
                case "auto":
                    return new ToolChoice(ToolChoice.Mode.AUTO, null, disableParallel);
                case "required":
                    return new ToolChoice(ToolChoice.Mode.ANY, null, disableParallel);
                default:
                    throw Rejection.invalid("Invalid value: '" + choice.asString() + "'. Supported values are: "
                            + "'none', 'auto', and 'required'.", param);
            }
        }
        // {"type":"function","function":{"name"}}, or function_call's {"name"}.
        String type = choice.path("type").asString("function");
        String name = choice.has("function") ? choice.path("function").path("name").asString(null)
                : choice.path("name").asString(null);
        if (!"function".equals(type) || name == null) {
            throw new Untranslatable(param, "This '" + param + "' is not supported with this model.");
        }
        return new ToolChoice(ToolChoice.Mode.TOOL, name, disableParallel);
    }

    private static List<String> stop(JsonNode stop) {
        List<String> sequences = new ArrayList<>();
        if (stop == null || stop.isNull()) {
            return sequences;
        }
        if (stop.isString()) {
            sequences.add(stop.asString());
        }
        for (JsonNode sequence : stop) {
            if (sequence.isString()) {
                sequences.add(sequence.asString());
            }
        }
        return sequences;
    }

    private static ResponseFormat responseFormat(JsonNode format) {
        return present(format) ? OpenAiFields.responseFormat(format, format.path("json_schema"), "response_format.type")
                : null;
    }



    private static Long firstLong(ObjectNode tree, String first, String second) {
        JsonNode value = tree.get(first);
        if (value == null || !value.isIntegralNumber()) {
            value = tree.get(second);
        }
        return value != null && value.isIntegralNumber() ? value.longValue() : null;
    }



}
