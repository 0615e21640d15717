package dev.tollgate.relay.provider.gemini;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Message;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.Reasoning;
import dev.tollgate.relay.chat.ResponseFormat;
import dev.tollgate.relay.chat.Tool;
import dev.tollgate.relay.chat.ToolChoice;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.gemini.wire.Content;
import dev.tollgate.relay.provider.gemini.wire.GeminiPart;
import dev.tollgate.relay.provider.gemini.wire.GenerateContentRequest;
import dev.tollgate.relay.provider.gemini.wire.GenerateContentRequest.FunctionCallingConfig;
import dev.tollgate.relay.provider.gemini.wire.GenerateContentRequest.FunctionDeclaration;
import dev.tollgate.relay.provider.gemini.wire.GenerateContentRequest.GenerationConfig;
import dev.tollgate.relay.provider.gemini.wire.GenerateContentRequest.ThinkingConfig;
import dev.tollgate.relay.provider.gemini.wire.GenerateContentRequest.ToolConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The internal {@link ChatRequest} → a Gemini {@code generateContent} body (a pass-through call sends the client's
 * bytes as they are: the model is only in the URL). Gemini has no tool-call ids: a tool result is sent as the
 * {@code functionResponse} of the function its id named earlier in the conversation. Pure.
 */
public final class GeminiRequestMapper {

    static final String NEED_IMAGE_BYTES = "Gemini needs image bytes: send the image base64-encoded";
    /**
     * Google's documented stand-in for a thought signature on a function call that did not come from Gemini; Gemini
     * 3 refuses function calls in the history without one.
     */
    static final String SKIP_SIGNATURE = "skip_thought_signature_validator";

    private GeminiRequestMapper() {
    }

    /** @throws Untranslatable when the request asks for what Gemini's API cannot express */
    public static byte[] createRequest(ChatRequest chat, String upstreamModel) {
        return Json.mapper().writeValueAsBytes(toGenerateContentRequest(chat, upstreamModel));
    }

    static GenerateContentRequest toGenerateContentRequest(ChatRequest chat, String upstreamModel) {
        if (chat.choices() > 1) {
            throw new Untranslatable("n", "this relay returns one answer per Gemini request: n must be 1");
        }
        boolean signCalls = upstreamModel != null && upstreamModel.toLowerCase(Locale.ROOT).contains("gemini-3");
        List<Tool> tools = chat.tools();
        return new GenerateContentRequest(
                contents(chat.messages(), signCalls),
                system(chat.system()),
                tools.isEmpty() ? null : List.of(new GenerateContentRequest.Tool(
                        tools.stream().map(GeminiRequestMapper::declaration).toList())),
                toolConfig(chat.toolChoice(), !tools.isEmpty()),
                generationConfig(chat));
    }

    private static Content system(List<Part.Text> system) {
        List<GeminiPart> parts = system.stream()
                .filter(text -> !text.text().isEmpty())
                .map(text -> GeminiPart.text(text.text()))
                .toList();
        return parts.isEmpty() ? null : new Content(null, parts);
    }

    /** Turns in order, consecutive turns of one role merged (a function's response must follow its call). */
    private static List<Content> contents(List<Message> messages, boolean signCalls) {
        Map<String, String> callNames = new HashMap<>();
        List<Content> contents = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            String role = message.role() == Message.Role.ASSISTANT ? "model" : "user";
            List<GeminiPart> parts = parts(message.parts(), "messages[" + i + "]", callNames, signCalls);
            if (parts.isEmpty()) {
                continue; // Gemini refuses a turn without parts; an empty turn says nothing
            }
            Content last = contents.isEmpty() ? null : contents.get(contents.size() - 1);
            if (last != null && last.role().equals(role)) {
                List<GeminiPart> merged = new ArrayList<>(last.parts());
                merged.addAll(parts);
                contents.set(contents.size() - 1, new Content(role, merged));
            } else {
                contents.add(new Content(role, parts));
            }
        }
        return contents;
    }

    private static List<GeminiPart> parts(List<Part> parts, String where, Map<String, String> callNames,
            boolean signCalls) {
        List<GeminiPart> out = new ArrayList<>();
        for (int j = 0; j < parts.size(); j++) {
            Part part = parts.get(j);
            String param = where + ".content[" + j + "]";
            if (part instanceof Part.Text text) {
                // Gemini refuses empty text parts; OpenAI clients send "" beside tool calls, and it says nothing.
                if (!text.text().isEmpty()) {
                    out.add(GeminiPart.text(text.text()));
                }
            } else if (part instanceof Part.Image image) {
                out.add(image(image, param));
            } else if (part instanceof Part.ToolUse use) {
                callNames.put(use.id(), use.name());
                // Gemini's own signature when the call came from Gemini; else the stand-in where it is required.
                String signature = use.signature() != null ? use.signature() : signCalls ? SKIP_SIGNATURE : null;
                out.add(new GeminiPart(null, null, signature, null, null,
                        new GeminiPart.FunctionCall(null, use.name(), arguments(use.argumentsJson(), param)), null));
            } else if (part instanceof Part.ToolResult result) {
                toolResult(result, param, callNames, out);
            }
            // Thinking and redacted thinking are not sent back: Gemini verifies only its own signatures, and each
            // turn thinks afresh (earlier thoughts are not part of the model's context).
        }
        return out;
    }

    private static GeminiPart image(Part.Image image, String param) {
        String mediaType = image.mediaType();
        String data = image.data();
        if (!image.inline()) {
            String url = image.url() == null ? "" : image.url();
            int comma = url.indexOf(',');
            // A data: URL carries the bytes after all.
            if (!url.startsWith("data:") || comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
                throw new Untranslatable(param, NEED_IMAGE_BYTES);
            }
            mediaType = url.substring("data:".length(), comma - ";base64".length());
            data = url.substring(comma + 1);
        }
        return new GeminiPart(null, null, null, new GeminiPart.Blob(mediaType, data), null, null, null);
    }

    /** The result as the response of the call its id names: {@code {"output": text}}, or {@code {"error": text}}. */
    private static void toolResult(Part.ToolResult result, String param, Map<String, String> callNames,
            List<GeminiPart> out) {
        String name = callNames.get(result.toolUseId());
        if (name == null) {
            throw new Untranslatable(param, "the tool result for " + result.toolUseId() + " answers no tool call of"
                    + " this conversation, and Gemini matches results to calls by the function's name");
        }
        StringBuilder text = new StringBuilder();
        List<GeminiPart> images = new ArrayList<>();
        for (int k = 0; k < result.content().size(); k++) {
            Part part = result.content().get(k);
            if (part instanceof Part.Text t) {
                text.append(t.text());
            } else if (part instanceof Part.Image image) {
                // Images travel beside the response, in the same turn.
                images.add(image(image, param + ".content[" + k + "]"));
            }
        }
        ObjectNode response = Json.mapper().createObjectNode().put(result.isError() ? "error" : "output",
                text.toString());
        out.add(new GeminiPart(null, null, null, null, null, null,
                new GeminiPart.FunctionResponse(null, name, response)));
        out.addAll(images);
    }

    /** A call's arguments as the object Gemini takes; a blank text is a call without arguments. */
    private static JsonNode arguments(String argumentsJson, String param) {
        if (argumentsJson.isBlank()) {
            return Json.mapper().createObjectNode();
        }
        try {
            JsonNode args = Json.mapper().readTree(argumentsJson);
            if (args != null && args.isObject()) {
                return args;
            }
        } catch (JacksonException e) {
            // answered below
        }
        throw new Untranslatable(param, "tool call arguments must be a JSON object");
    }

    /** Tool.strict and cache markers are hints with no Gemini field: left out. */
    private static FunctionDeclaration declaration(Tool tool) {
        JsonNode schema = tool.inputSchema();
        boolean none = schema == null || schema.isNull() || schema.isMissingNode();
        return new FunctionDeclaration(tool.name(), tool.description(), none ? null : schema);
    }

    /** Without tools there is nothing to choose; disableParallel has no Gemini switch and is left out, as a hint. */
    private static ToolConfig toolConfig(ToolChoice choice, boolean hasTools) {
        if (choice == null || !hasTools) {
            return null;
        }
        return switch (choice.mode()) {
            case NONE -> new ToolConfig(new FunctionCallingConfig("NONE", null));
            case ANY -> new ToolConfig(new FunctionCallingConfig("ANY", null));
            case TOOL -> new ToolConfig(new FunctionCallingConfig("ANY", List.of(choice.name())));
            default -> new ToolConfig(new FunctionCallingConfig("AUTO", null));
        };
    }

    private static GenerationConfig generationConfig(ChatRequest chat) {
        ResponseFormat format = chat.responseFormat();
        String mimeType = null;
        JsonNode schema = null;
        if (format != null && format.kind() != ResponseFormat.Kind.TEXT) {
            mimeType = "application/json";
            schema = format.kind() == ResponseFormat.Kind.JSON_SCHEMA ? format.schema() : null;
        }
        ThinkingConfig thinking = thinking(chat.reasoning());
        if (chat.temperature() == null && chat.topP() == null && chat.topK() == null && chat.maxTokens() == null
                && chat.stop().isEmpty() && chat.seed() == null && chat.presencePenalty() == null
                && chat.frequencyPenalty() == null && mimeType == null && thinking == null) {
            return null;
        }
        return new GenerationConfig(chat.temperature(), chat.topP(), chat.topK(), chat.maxTokens(),
                chat.stop().isEmpty() ? null : chat.stop(), chat.seed(), chat.presencePenalty(),
                chat.frequencyPenalty(), mimeType, schema, thinking);
    }

    /** A budget (an effort becomes one), with the thoughts shown; effort {@code none} turns thinking off. */
    private static ThinkingConfig thinking(Reasoning reasoning) {
        if (reasoning == null) {
            return null;
        }
        if ("none".equals(reasoning.effort())) {
            return new ThinkingConfig(0L, null);
        }
        return new ThinkingConfig(reasoning.budgetOrFromEffort(), Boolean.TRUE);
    }
}
