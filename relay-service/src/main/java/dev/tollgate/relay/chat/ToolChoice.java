package dev.tollgate.relay.chat;

/**
 * How the model must use tools.
 *
 * @param name            the tool to call when {@code mode} is {@link Mode#TOOL}, else null
 * @param disableParallel at most one tool call per answer (OpenAI {@code parallel_tool_calls: false},
 *                        Anthropic {@code disable_parallel_tool_use: true})
 */
public record ToolChoice(Mode mode, String name, boolean disableParallel) {

    public enum Mode {
        AUTO,
        /** Some tool must be called (OpenAI {@code required}, Anthropic {@code any}). */
        ANY,
        NONE,
        TOOL
    }

    public static ToolChoice auto() {
        return new ToolChoice(Mode.AUTO, null, false);
    }
}
