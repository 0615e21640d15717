package dev.tollgate.relay.provider;

import dev.tollgate.contracts.money.TokenUsage;

/**
 * One upstream stream event of a pass-through stream, with what metering needs from it.
 *
 * @param event the SSE event name to send the client (Anthropic's {@code message_start} …), or null for none
 * @param data  the SSE data to send the client, or null to send nothing for this event
 * @param usage the usage reported so far (cumulative), or null
 * @param text  the generated text this event carried (for counting when no usage arrives), never null
 * @param done  the upstream ended the stream normally ({@code [DONE]}, {@code message_stop})
 */
public record StreamStep(String event, String data, TokenUsage usage, String text, boolean done) {

    public StreamStep(String data, TokenUsage usage, String text, boolean done) {
        this(null, data, usage, text, done);
    }

    public boolean hasText() {
        return !text.isEmpty();
    }
}
