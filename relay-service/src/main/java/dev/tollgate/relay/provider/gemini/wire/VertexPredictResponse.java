package dev.tollgate.relay.provider.gemini.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Vertex AI's text-embeddings {@code :predict} answer: one prediction per instance, in order, each with its token count. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VertexPredictResponse(@JsonProperty("predictions") List<Prediction> predictions) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Prediction(@JsonProperty("embeddings") Embeddings embeddings) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Embeddings(
            @JsonProperty("values") float[] values,
            @JsonProperty("statistics") Statistics statistics) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Statistics(
            @JsonProperty("token_count") Long tokenCount,
            @JsonProperty("truncated") Boolean truncated) {
    }
}
