package dev.tollgate.simulator.scenario;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * A chat request in no dialect: only what decides the answer. Each dialect's parser fills a {@link Builder}.
 *
 * @param model      the model the caller named (Bedrock: the decoded model id from the path)
 * @param textChars  characters of text in system, messages, tool definitions, tool calls and tool results
 * @param images     images anywhere in the request (message parts and tool results)
 * @param tools      the declared tools, in order
 * @param toolChoice what the caller allows; {@link ToolChoice#AUTO} when unsaid
 * @param toolResult the text of the tool result(s) in the last user turn, or null when that turn is not one
 * @param thinking   whether the caller asked for extended thinking (Anthropic / Bedrock)
 */
public record SimRequest(
        String model,
        long textChars,
        int images,
        List<SimTool> tools,
        ToolChoice toolChoice,
        String toolResult,
        boolean thinking) {

    public SimRequest {
        tools = List.copyOf(tools);
    }

    public static Builder builder(String model) {
        return new Builder(model);
    }

    /** About one token per 4 characters of text (at least 1), plus {@code imageTokens} per image. */
    public long estimatedPromptTokens(int imageTokens) {
        return Math.max(1, (textChars + 3) / 4) + (long) images * imageTokens;
    }

    public static final class Builder {

        private final String model;
        private long textChars;
        private int images;
        private final List<SimTool> tools = new ArrayList<>();
        private ToolChoice toolChoice = ToolChoice.AUTO;
        private String toolResult;
        private boolean thinking;

        private Builder(String model) {
            this.model = model;
        }

        /** Counts a piece of text (null is ignored). */
        public Builder text(String text) {
            if (text != null) {
                textChars += text.length();
            }
            return this;
        }

        /** Counts structured content, e.g. a tool call's arguments, by its compact JSON length. */
        public Builder json(JsonNode node) {
            if (node != null && !node.isMissingNode() && !node.isNull()) {
                textChars += node.isString() ? node.asString().length() : node.toString().length();
            }
            return this;
        }

        public Builder image() {
            images++;
            return this;
        }

        /** Declares a tool; its name, description and schema count as prompt text. */
        public Builder tool(String name, String description, JsonNode schema) {
            text(name);
            text(description);
            json(schema);
            tools.add(new SimTool(name, schema == null ? MissingNode.getInstance() : schema));
            return this;
        }

        public Builder toolChoice(ToolChoice choice) {
            this.toolChoice = choice == null ? ToolChoice.AUTO : choice;
            return this;
        }

        /** The last user turn carries tool results with this text (null = it does not). */
        public Builder toolResult(String text) {
            this.toolResult = text;
            return this;
        }

        public Builder thinking(boolean thinking) {
            this.thinking = thinking;
            return this;
        }

        public SimRequest build() {
            return new SimRequest(model, textChars, images, tools, toolChoice, toolResult, thinking);
        }
    }
}
