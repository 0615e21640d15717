package dev.tollgate.relay.provider.openai.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** OpenAI's embeddings answer: a {@code list} of {@code embedding}s (float form) and the usage. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EmbeddingsResponse(@JsonProperty("data") List<Item> data, @JsonProperty("usage") ChatUsage usage) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Item(@JsonProperty("index") Integer index, @JsonProperty("embedding") float[] embedding) {
    }
}
