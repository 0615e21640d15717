package dev.tollgate.relay.chat;

import java.util.List;

/**
 * An embeddings call in the internal model, for an upstream of another dialect than the caller's: the texts to
 * embed, each with Gemini's optional hints (an OpenAI-family upstream has no place for them and drops them).
 *
 * @param inputs     at least one
 * @param dimensions the vector width asked for (OpenAI {@code dimensions}, Gemini {@code outputDimensionality}),
 *                   or null for the model's own
 */
public record EmbeddingRequest(List<Input> inputs, Integer dimensions) {

    public EmbeddingRequest {
        inputs = List.copyOf(inputs);
    }

    /**
     * One text to embed.
     *
     * @param taskType Gemini's {@code taskType} ({@code RETRIEVAL_QUERY} …), or null
     * @param title    Gemini's {@code title} (for {@code RETRIEVAL_DOCUMENT}), or null
     */
    public record Input(String text, String taskType, String title) {

        public static Input of(String text) {
            return new Input(text, null, null);
        }
    }

    /** Every text, in order. */
    public List<String> texts() {
        return inputs.stream().map(Input::text).toList();
    }
}
