package dev.tollgate.relay.chat;

import java.util.List;

/**
 * A chat request in no dialect. Optional settings are null when the client did not give them, so a mapper sends
 * only what was asked. A mapper whose target cannot express a setting the client gave (with a value other than
 * its neutral one) throws a {@link dev.tollgate.relay.api.Rejection} INVALID_REQUEST naming it: never a silent drop.
 *
 * @param model           the model the client asked for (the channel's mapping gives the upstream's name)
 * @param system          system (and OpenAI developer) instructions, in order
 * @param messages        user and assistant turns; tool results travel as user turns of ToolResult parts
 * @param tools           empty when none
 * @param toolChoice      null = the target's default
 * @param maxTokens       output limit; null = not given (a target that requires it gets the channel's default)
 * @param stop            stop sequences; empty when none
 * @param choices         answers to generate (OpenAI {@code n}); 1 unless asked
 * @param frequencyPenalty OpenAI only; null when not given
 * @param presencePenalty  OpenAI only; null when not given
 * @param user            the end user's id (OpenAI {@code user}, Anthropic {@code metadata.user_id})
 */
public record ChatRequest(
        String model,
        List<Part.Text> system,
        List<Message> messages,
        List<Tool> tools,
        ToolChoice toolChoice,
        Long maxTokens,
        Double temperature,
        Double topP,
        Integer topK,
        List<String> stop,
        boolean stream,
        int choices,
        Long seed,
        ResponseFormat responseFormat,
        Reasoning reasoning,
        Double frequencyPenalty,
        Double presencePenalty,
        String user) {

    public ChatRequest {
        system = system == null ? List.of() : List.copyOf(system);
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        stop = stop == null ? List.of() : List.copyOf(stop);
        choices = Math.max(choices, 1);
    }
}
