package dev.tollgate.relay.chat;

/** Why the model stopped, across dialects. */
public enum StopReason {
    /** Natural end (OpenAI {@code stop}, Anthropic and Bedrock {@code end_turn}). */
    END_TURN,
    MAX_TOKENS,
    /** A stop sequence matched (OpenAI reports it as {@code stop}). */
    STOP_SEQUENCE,
    /** The answer ends in tool calls (OpenAI {@code tool_calls}). */
    TOOL_USE,
    /** Filtered by the provider's safety system (OpenAI {@code content_filter}, Bedrock guardrails). */
    CONTENT_FILTERED,
    /** The model declined (Anthropic {@code refusal}). */
    REFUSAL,
    /** Anthropic {@code pause_turn}: a long-running server tool turn paused. */
    PAUSE_TURN
}
