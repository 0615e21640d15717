package dev.tollgate.relay.provider.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.provider.StreamStep;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One event of a native Responses stream → {@link StreamStep}, for a Responses client: the event goes on unchanged
 * (its name and data), with what metering needs read from it — the usage of the response that ends the stream
 * ({@code response.completed}, {@code response.incomplete}, {@code response.failed}) and the text each delta
 * carries, counted when the stream ends before any usage (a client that leaves, an upstream that breaks off). Pure.
 */
public final class ResponsesStreamTranslator {

    /** The events that end a response, each carrying it whole with its usage. */
    static final Set<String> TERMINAL = Set.of("response.completed", "response.incomplete", "response.failed");
    /** The events whose {@code delta} is generated text (or a call's arguments). */
    private static final Set<String> TEXT_DELTAS = Set.of("response.output_text.delta", "response.refusal.delta",
            "response.function_call_arguments.delta", "response.reasoning_summary_text.delta",
            "response.reasoning_text.delta", "response.custom_tool_call_input.delta");

    private ResponsesStreamTranslator() {
    }

    /**
     * @param event the SSE event name the upstream sent, or null (the data's {@code type} names it then)
     * @param data  the event's data
     */
    public static StreamStep toStreamStep(String event, String data) {
        if (data == null) {
            return new StreamStep(event, null, null, "", false);
        }
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(data);
        } catch (JacksonException e) {
            // Not ours to judge: pass it on, count nothing.
            return new StreamStep(event, data, null, "", false);
        }
        String type = tree == null ? null : tree.path("type").asString(null);
        String name = event != null ? event : type;
        if (type == null) {
            return new StreamStep(name, data, null, "", false);
        }
        if (TERMINAL.contains(type)) {
            TokenUsage usage = ResponsesUsageExtractor.fromUsage(tree.path("response").get("usage"));
            return new StreamStep(name, data, usage, "", true);
        }
        String text = TEXT_DELTAS.contains(type) ? tree.path("delta").asString("") : "";
        return new StreamStep(name, data, null, text, false);
    }
}
