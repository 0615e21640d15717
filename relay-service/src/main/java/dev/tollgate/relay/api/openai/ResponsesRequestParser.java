package dev.tollgate.relay.api.openai;

import static dev.tollgate.relay.api.openai.OpenAiFields.addUser;
import static dev.tollgate.relay.api.openai.OpenAiFields.arguments;
import static dev.tollgate.relay.api.openai.OpenAiFields.number;
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
 * An OpenAI Responses request (already checked by {@link ResponsesRequestValidator}) → the internal
 * {@link ChatRequest}, for every channel that does not serve the Responses API itself. Pure.
 *
 * <p>{@code instructions} and system/developer messages become the system prompt; user and assistant messages,
 * {@code function_call} and {@code function_call_output} items become turns (calls join the assistant turn before
 * them, results the user turn after the calls, as the other dialects need). Dropped on purpose: {@code reasoning}
 * input items (OpenAI's own encrypted state, meaningless to another model), {@code store}, {@code metadata},
 * {@code include}, {@code truncation}, {@code service_tier}, {@code prompt_cache_key}, {@code text.verbosity} and
 * image {@code detail} (storage, billing and cost hints, not meaning). Built-in tools, file inputs and log
 * probabilities have no counterpart and are refused with {@link Untranslatable}, as is state kept upstream
 * ({@code previous_response_id}, {@code conversation}, {@code prompt}, {@code background}, item references): only a
 * channel that serves the Responses API itself holds it.
 */
public final class ResponsesRequestParser {


    /** Fields that point at state kept upstream (a stored response, conversation or prompt). */
    private static final String[] STATEFUL = {"previous_response_id", "conversation", "prompt"};
    private static final String NEEDS_NATIVE = " needs a channel that serves the Responses API itself (OpenAI, Azure), "
            + "and this model's channels do not: send the whole conversation in 'input' instead.";

    private ResponsesRequestParser() {
    }

    /** State kept upstream cannot be translated: the other providers hold none of it. */
    private static void refuseStateful(ObjectNode tree) {
        for (String field : STATEFUL) {
            JsonNode value = tree.get(field);
            if (value != null && !value.isNull()) {
                throw new Untranslatable(field, "'" + field + "'" + NEEDS_NATIVE);
            }
        }
        if (tree.path("background").booleanValue(false)) {
            throw new Untranslatable("background", "'background'" + NEEDS_NATIVE);
        }
        JsonNode input = tree.path("input");
        for (int i = 0; i < input.size(); i++) {
            if ("item_reference".equals(input.get(i).path("type").asString(""))) {
                throw new Untranslatable("input[" + i + "]", "Item references" + NEEDS_NATIVE);
            }
        }
    }

    /**
     * @throws Untranslatable when the request asks for something only OpenAI can do
     * @throws Rejection      INVALID_REQUEST when an input item or tool is malformed
     */
    public static ChatRequest toChat(ObjectNode tree) {
        refuseStateful(tree);
        if (tree.path("top_logprobs").isNumber() && tree.path("top_logprobs").intValue() > 0) {
            throw new Untranslatable("top_logprobs", "'top_logprobs' is not supported with this model.");
        }
        List<Part.Text> system = new ArrayList<>();
        String instructions = text(tree.get("instructions"));
        if (instructions != null && !instructions.isEmpty()) {
            system.add(Part.Text.of(instructions));
        }
        List<Message> messages = new ArrayList<>();
        JsonNode input = tree.path("input");
        if (input.isString()) {
            messages.add(new Message(Message.Role.USER, List.of(Part.Text.of(input.asString()))));
        }
        for (int i = 0; i < input.size(); i++) {
            addItem(system, messages, input.get(i), "input[" + i + "]");
        }
        return new ChatRequest(
                text(tree.get("model")),
                system,
                messages,
                tools(tree.path("tools")),
                toolChoice(tree),
                tree.path("max_output_tokens").isIntegralNumber() ? tree.path("max_output_tokens").longValue() : null,
                number(tree.get("temperature")),
                number(tree.get("top_p")),
                null,
                List.of(),
                tree.path("stream").booleanValue(false),
                1,
                null,
                responseFormat(tree.path("text").get("format")),
                reasoning(tree.path("reasoning").get("effort")),
                null,
                null,
                user(tree));
    }

    private static void addItem(List<Part.Text> system, List<Message> messages, JsonNode item, String param) {
        // An item without a type is the short message form {role, content}.
        String type = item.path("type").asString("message");
        switch (type) {
            case "message":
                addMessage(system, messages, item, param);
                break;
            case "function_call":
                // A call id this relay made carries the upstream's signature of the call (ToolCallIds).
                ToolCallIds.Decoded callId = ToolCallIds.decode(required(item, "call_id", param));
                addToAssistant(messages, new Part.ToolUse(callId.id(),
                        required(item, "name", param), arguments(item.get("arguments")), null, callId.signature()));
                break;
            case "function_call_output":
                addUser(messages, List.of(new Part.ToolResult(ToolCallIds.plainId(required(item, "call_id", param)),
                        toolOutput(item.get("output"), param + ".output"), false, null)));
                break;
            case "reasoning":
                // OpenAI's reasoning state for its own next turn: another model cannot use it, and it instructs nothing.
                break;
            default:
                throw new Untranslatable(param + ".type",
                        "Input items of type '" + type + "' are not supported with this model.");
        }
    }

    private static void addMessage(List<Part.Text> system, List<Message> messages, JsonNode item, String param) {
        String role = item.path("role").asString("");
        switch (role) {
            case "system":
            case "developer":
                for (Part part : content(item.get("content"), param, false)) {
                    if (!(part instanceof Part.Text text)) {
                        throw Rejection.invalid("A " + role + " message may hold text only.", param + ".content");
                    }
                    system.add(text);
                }
                break;
            case "user":
                addUser(messages, content(item.get("content"), param, true));
                break;
            case "assistant":
                for (Part part : content(item.get("content"), param, false)) {
                    addToAssistant(messages, part);
                }
                break;
            default:
                throw Rejection.invalid("Invalid value: '" + role + "'. Supported values are: 'user', 'assistant', "
                        + "'system', and 'developer'.", param + ".role");
        }
    }

    /** Assistant output items in a row (text, then its function calls) are one assistant turn elsewhere. */
    private static void addToAssistant(List<Message> messages, Part part) {
        if (!messages.isEmpty() && messages.get(messages.size() - 1).role() == Message.Role.ASSISTANT) {
            Message last = messages.remove(messages.size() - 1);
            List<Part> parts = new ArrayList<>(last.parts());
            parts.add(part);
            messages.add(new Message(Message.Role.ASSISTANT, parts));
            return;
        }
        messages.add(new Message(Message.Role.ASSISTANT, List.of(part)));
    }


    /** A message's content: a string, or an array of {@code input_text}, {@code input_image}, {@code output_text} … */
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
            switch (type) {
                case "input_text":
                case "output_text":
                    parts.add(Part.Text.of(part.path("text").asString("")));
                    break;
                case "refusal":
                    parts.add(Part.Text.of(part.path("refusal").asString("")));
                    break;
                case "input_image":
                    if (!imagesAllowed) {
                        throw new Untranslatable(partParam, "Images are supported in user messages only.");
                    }
                    parts.add(image(part, partParam));
                    break;
                case "input_file":
                case "input_audio":
                    throw new Untranslatable(partParam,
                            "Content of type '" + type + "' is not supported with this model.");
                default:
                    throw Rejection.invalid("Invalid value: '" + type + "'. Supported values are: 'input_text', "
                            + "'input_image', 'input_file', 'output_text', and 'refusal'.", partParam + ".type");
            }
        }
        return parts;
    }

    /** A function's output: text, or (newer clients) an array of text and image parts. */
    private static List<Part> toolOutput(JsonNode output, String param) {
        if (output == null || output.isNull()) {
            return List.of();
        }
        if (output.isString()) {
            return List.of(Part.Text.of(output.asString()));
        }
        if (output.isArray()) {
            return content(output, param, true);
        }
        return List.of(Part.Text.of(Json.mapper().writeValueAsString(output)));
    }

    /** {@code image_url} as a base64 data URL or an http(s) URL; a stored {@code file_id} is OpenAI's alone. */
    private static Part.Image image(JsonNode part, String param) {
        if (part.path("file_id").isString()) {
            throw new Untranslatable(param + ".file_id", "Images by 'file_id' are not supported with this model.");
        }
        return OpenAiFields.image(part.path("image_url").asString(""), param + ".image_url");
    }

    /** Function tools are flat here ({@code {type, name, parameters}}), not wrapped as in chat. */
    private static List<Tool> tools(JsonNode wireTools) {
        List<Tool> tools = new ArrayList<>();
        for (int i = 0; i < wireTools.size(); i++) {
            JsonNode tool = wireTools.get(i);
            String type = tool.path("type").asString("");
            if (!"function".equals(type)) {
                throw new Untranslatable("tools[" + i + "].type",
                        "Tools of type '" + type + "' are not supported with this model.");
            }
            String name = tool.path("name").asString("");
            if (name.isEmpty()) {
                throw Rejection.invalid("Missing required parameter: 'tools[" + i + "].name'.",
                        "tools[" + i + "].name");
            }
            JsonNode parameters = tool.get("parameters");
            if (parameters == null || parameters.isNull()) {
                // OpenAI's default: a function without parameters takes an empty object.
                ObjectNode empty = Json.mapper().createObjectNode();
                empty.put("type", "object");
                empty.putObject("properties");
                parameters = empty;
            }
            JsonNode strict = tool.get("strict");
            tools.add(new Tool(name, text(tool.get("description")), parameters,
                    strict != null && strict.isBoolean() ? strict.booleanValue() : null, null));
        }
        return tools;
    }

    /** {@code tool_choice} ({@code none|auto|required} or {@code {type:function, name}}) with parallel calls. */
    private static ToolChoice toolChoice(ObjectNode tree) {
        boolean disableParallel = !tree.path("parallel_tool_calls").booleanValue(true);
        JsonNode choice = tree.get("tool_choice");
        if (choice == null || choice.isNull()) {
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
                            + "'none', 'auto', and 'required'.", "tool_choice");
            }
        }
        String name = choice.path("name").asString(null);
        if (!"function".equals(choice.path("type").asString("")) || name == null) {
            throw new Untranslatable("tool_choice", "This 'tool_choice' is not supported with this model.");
        }
        return new ToolChoice(ToolChoice.Mode.TOOL, name, disableParallel);
    }

    /** {@code text.format}: flat here ({@code {type:json_schema, name, schema, strict}}), not wrapped as in chat. */
    private static ResponseFormat responseFormat(JsonNode format) {
        return OpenAiFields.present(format) ? OpenAiFields.responseFormat(format, format, "text.format.type") : null;
    }




    private static String required(JsonNode item, String field, String param) {
        String value = text(item.get(field));
        if (value == null || value.isEmpty()) {
            throw Rejection.invalid("Missing required parameter: '" + param + "." + field + "'.", param + "." + field);
        }
        return value;
    }


}
