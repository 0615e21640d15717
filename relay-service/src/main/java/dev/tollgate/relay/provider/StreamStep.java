package dev.tollgate.relay.provider;

import dev.tollgate.contracts.money.TokenUsage;

/**
 * One upstream stream event, translated.
 *
 * @param data  the SSE data to send the client, or null to send nothing for this event
 * @param usage the usage this event reported, or null
 * @param text  the generated text this event carried (for counting when no usage arrives), never null
 * @param done  the terminating event ({@code [DONE]})
 */
public record StreamStep(String data, TokenUsage usage, String text, boolean done) {

    public boolean hasText() {
        return !text.isEmpty();
    }
}
