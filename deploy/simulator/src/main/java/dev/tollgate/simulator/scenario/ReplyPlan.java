package dev.tollgate.simulator.scenario;

import dev.tollgate.simulator.SimulatorConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one answer says, decided once per request so that a dialect's plain answer, its stream and its usage agree.
 * Every dialect answers the same request the same way; only the wire format differs.
 *
 * @param id               32 hex digits, unique per answer; dialects add their own prefix
 * @param created          epoch seconds of the answer
 * @param model            the model the request named
 * @param thinking         whether a thinking block ("sim thinking", signature "sim-signature") comes first
 * @param answer           the text or the tool call
 * @param promptTokens     all prompt tokens (cache reads and writes included)
 * @param completionTokens output tokens (reasoning included)
 * @param cachedTokens     prompt tokens read from the cache
 * @param cacheWriteTokens prompt tokens written to the cache
 * @param reasoningTokens  of the completion tokens, those spent reasoning
 */
public record ReplyPlan(
        String id,
        long created,
        String model,
        boolean thinking,
        Answer answer,
        long promptTokens,
        long completionTokens,
        long cachedTokens,
        long cacheWriteTokens,
        long reasoningTokens) {

    public static final String THINKING_TEXT = "sim thinking";
    public static final String THINKING_SIGNATURE = "sim-signature";

    /** The answer proper. */
    public sealed interface Answer permits Text, ToolCall {

        /** The deltas a stream sends for it: words of the text, or the tool call's arguments in two halves. */
        List<String> pieces();
    }

    /** A text answer; {@code pieces} joined is the whole text. */
    public record Text(List<String> pieces) implements Answer {

        public Text {
            pieces = List.copyOf(pieces);
        }

        public String text() {
            return String.join("", pieces);
        }
    }

    /**
     * One call of a declared tool.
     *
     * @param id        24 hex digits; dialects add their prefix ({@code call_}, {@code toolu_}, {@code tooluse_})
     * @param name      the tool's name
     * @param input     the arguments as a JSON object
     * @param arguments {@code input} as compact JSON, the string that streams in {@link #pieces()}
     */
    public record ToolCall(String id, String name, ObjectNode input, String arguments) implements Answer {

        @Override
        public List<String> pieces() {
            int half = arguments.length() / 2;
            return List.of(arguments.substring(0, half), arguments.substring(half));
        }
    }

    public static ReplyPlan of(SimRequest request, SimulatorConfig config) {
        Answer answer = answer(request, config);
        long prompt = config.promptTokens() != null
                ? config.promptTokens()
                : request.estimatedPromptTokens(config.imageTokens());
        long completion;
        if (config.completionTokens() != null) {
            completion = config.completionTokens();
        } else if (answer instanceof Text text) {
            completion = text.pieces().size();
        } else {
            completion = config.chunks();
        }
        return new ReplyPlan(hex(32), Instant.now().getEpochSecond(), request.model(), request.thinking(), answer,
                prompt, completion, config.cachedTokens(), config.cacheWriteTokens(), config.reasoningTokens());
    }

    public boolean isToolCall() {
        return answer instanceof ToolCall;
    }

    /** Prompt tokens neither read from nor written to the cache: Anthropic's input_tokens, Bedrock's inputTokens. */
    public long uncachedPromptTokens() {
        return Math.max(0, promptTokens - cachedTokens - cacheWriteTokens);
    }

    /** The word the {@code index}-th text chunk carries. */
    public static String word(int index) {
        return "tok" + index + " ";
    }

    private static Answer answer(SimRequest request, SimulatorConfig config) {
        if (request.toolResult() != null) {
            return new Text(words("tool said " + request.toolResult()));
        }
        if (!request.tools().isEmpty() && request.toolChoice().mode() != ToolChoice.Mode.NONE) {
            SimTool tool = chosen(request);
            ObjectNode input = arguments(tool.schema());
            return new ToolCall(hex(24), tool.name(), input, input.toString());
        }
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < config.chunks(); i++) {
            pieces.add(word(i));
        }
        return new Text(pieces);
    }

    private static SimTool chosen(SimRequest request) {
        ToolChoice choice = request.toolChoice();
        if (choice.mode() == ToolChoice.Mode.NAMED && choice.name() != null) {
            for (SimTool tool : request.tools()) {
                if (choice.name().equals(tool.name())) {
                    return tool;
                }
            }
            // A name that was not declared: the real APIs refuse; calling it anyway shows the mistake downstream.
            return new SimTool(choice.name(), MissingNode.getInstance());
        }
        return request.tools().get(0);
    }

    /** Fills the schema's required properties: string "sim", integer/number 1, boolean true, anything else null. */
    static ObjectNode arguments(JsonNode schema) {
        ObjectNode input = JsonNodeFactory.instance.objectNode();
        for (JsonNode required : schema.path("required")) {
            if (!required.isString()) {
                continue;
            }
            String name = required.asString();
            String type = type(schema.path("properties").path(name).path("type"));
            if ("string".equals(type)) {
                input.put(name, "sim");
            } else if ("integer".equals(type) || "number".equals(type)) {
                input.put(name, 1);
            } else if ("boolean".equals(type)) {
                input.put(name, true);
            } else {
                input.putNull(name);
            }
        }
        return input;
    }

    /** A JSON-schema type, or the first non-null one of a type list such as {@code ["string","null"]}. */
    private static String type(JsonNode type) {
        if (type.isString()) {
            return type.asString();
        }
        for (JsonNode each : type) {
            if (each.isString() && !"null".equals(each.asString())) {
                return each.asString();
            }
        }
        return null;
    }

    /** Splits text into words that keep their following space, so joining the pieces gives the text back. */
    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ' ') {
                words.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            words.add(text.substring(start));
        }
        return words;
    }

    private static String hex(int digits) {
        String hex = UUID.randomUUID().toString().replace("-", "");
        return hex.substring(0, Math.min(digits, hex.length()));
    }
}
