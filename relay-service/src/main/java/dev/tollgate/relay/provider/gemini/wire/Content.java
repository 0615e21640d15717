package dev.tollgate.relay.provider.gemini.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One turn ({@code role} {@code user} or {@code model}), or the system instruction (no role). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Content(@JsonProperty("role") String role, @JsonProperty("parts") List<GeminiPart> parts) {
}
