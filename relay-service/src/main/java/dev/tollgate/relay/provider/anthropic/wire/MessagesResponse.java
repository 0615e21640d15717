package dev.tollgate.relay.provider.anthropic.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A {@code message}: the whole answer, or (in a stream's {@code message_start}) its empty beginning. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MessagesResponse(
        @JsonProperty("id") String id,
        @JsonProperty("type") String type,
        @JsonProperty("role") String role,
        @JsonProperty("model") String model,
        @JsonProperty("content") List<ContentBlock> content,
        @JsonProperty("stop_reason") String stopReason,
        @JsonProperty("stop_sequence") String stopSequence,
        @JsonProperty("usage") Usage usage) {
}
