package dev.tollgate.relay.provider.anthropic.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Anthropic's error body {@code {"type":"error","error":{"type":"…","message":"…"}}} (also a stream's error event). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ErrorBody(@JsonProperty("type") String type, @JsonProperty("error") Detail error) {

    /** {@code type} is e.g. {@code rate_limit_error}, {@code overloaded_error}, {@code invalid_request_error}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Detail(@JsonProperty("type") String type, @JsonProperty("message") String message) {
    }
}
