package dev.tollgate.relay.matrix;

import java.util.List;

/**
 * What a customer's SDK made of an answer, whatever the dialect.
 *
 * @param promptTokens the prompt as the answer's usage counts it (all input classes together)
 * @param outputTokens the output as the answer's usage counts it
 */
record Answer(String text, List<ToolCall> toolCalls, String stopReason, long promptTokens, long outputTokens) {

    record ToolCall(String id, String name, String argumentsJson) {
    }
}
