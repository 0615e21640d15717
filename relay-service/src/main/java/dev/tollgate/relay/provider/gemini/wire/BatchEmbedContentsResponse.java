package dev.tollgate.relay.provider.gemini.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Gemini's {@code batchEmbedContents} answer: one embedding per request, in order; no usage. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BatchEmbedContentsResponse(@JsonProperty("embeddings") List<Embedding> embeddings) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Embedding(@JsonProperty("values") float[] values) {
    }
}
