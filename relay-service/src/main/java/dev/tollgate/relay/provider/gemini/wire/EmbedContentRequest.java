package dev.tollgate.relay.provider.gemini.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One request of Gemini's {@code batchEmbedContents}: {@code model} is {@code models/…}, as Google requires. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EmbedContentRequest(
        @JsonProperty("model") String model,
        @JsonProperty("content") Content content,
        @JsonProperty("taskType") String taskType,
        @JsonProperty("title") String title,
        @JsonProperty("outputDimensionality") Integer outputDimensionality) {

    /** The body of {@code batchEmbedContents}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Batch(@JsonProperty("requests") List<EmbedContentRequest> requests) {
    }
}
