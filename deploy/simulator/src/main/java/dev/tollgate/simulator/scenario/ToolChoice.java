package dev.tollgate.simulator.scenario;

/**
 * Which tool the caller allows or demands, in every dialect's terms: OpenAI none/auto/required/function,
 * Anthropic none/auto/any/tool, Bedrock auto/any/tool.
 *
 * @param mode what the caller asked
 * @param name the demanded tool when {@code mode} is {@link Mode#NAMED}, else null
 */
public record ToolChoice(Mode mode, String name) {

    public enum Mode { AUTO, NONE, REQUIRED, NAMED }

    public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
    public static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);
    public static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);

    public static ToolChoice named(String name) {
        return new ToolChoice(Mode.NAMED, name);
    }
}
