package dev.tollgate.relay.provider.gemini.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Vertex AI's text-embeddings {@code :predict} body: one instance per text ({@code task_type} and {@code title} in
 * snake case, as Vertex spells them), the width and truncation in {@code parameters}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VertexPredictRequest(
        @JsonProperty("instances") List<Instance> instances,
        @JsonProperty("parameters") Parameters parameters) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Instance(
            @JsonProperty("content") String content,
            @JsonProperty("task_type") String taskType,
            @JsonProperty("title") String title) {
    }

    /** {@code autoTruncate}: Vertex's default, said out loud so a long text is cut rather than refused. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Parameters(
            @JsonProperty("outputDimensionality") Integer outputDimensionality,
            @JsonProperty("autoTruncate") Boolean autoTruncate) {
    }
}
