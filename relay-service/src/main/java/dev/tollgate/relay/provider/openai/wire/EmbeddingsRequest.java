package dev.tollgate.relay.provider.openai.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** OpenAI's {@code POST /embeddings} body, as the relay writes it for a translated call (texts, floats). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EmbeddingsRequest(
        @JsonProperty("model") String model,
        @JsonProperty("input") List<String> input,
        @JsonProperty("dimensions") Integer dimensions,
        @JsonProperty("encoding_format") String encodingFormat) {
}
