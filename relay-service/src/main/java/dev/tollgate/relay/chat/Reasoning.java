package dev.tollgate.relay.chat;

/**
 * Extended reasoning asked for: OpenAI's {@code reasoning_effort} or Anthropic's {@code thinking} budget. A mapper
 * for a target that takes the other form converts (effort → budget: low 1,024, medium 4,096, high 16,384 tokens;
 * budget → effort: up to 2,048 low, up to 8,192 medium, else high).
 *
 * @param effort       {@code minimal}, {@code low}, {@code medium} or {@code high}; null when a budget was given
 * @param budgetTokens the thinking budget; null when an effort was given
 */
public record Reasoning(String effort, Long budgetTokens) {

    public String effortOrFromBudget() {
        if (effort != null) {
            return effort;
        }
        if (budgetTokens == null || budgetTokens <= 2_048) {
            return "low";
        }
        return budgetTokens <= 8_192 ? "medium" : "high";
    }

    public long budgetOrFromEffort() {
        if (budgetTokens != null) {
            return budgetTokens;
        }
        return switch (effort == null ? "medium" : effort) {
            case "minimal", "low" -> 1_024;
            case "high" -> 16_384;
            default -> 4_096;
        };
    }
}
