package dev.tollgate.relay.provider.gemini.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Google's error body {@code {"error":{"code":400,"message":"…","status":"INVALID_ARGUMENT","details":[…]}}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ErrorBody(@JsonProperty("error") Detail error) {

    /** {@code details} are typed by {@code @type}: {@code ErrorInfo} (a {@code reason}), {@code RetryInfo} …. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Detail(@JsonProperty("code") Integer code, @JsonProperty("message") String message,
            @JsonProperty("status") String status, @JsonProperty("details") List<JsonNode> details) {
    }
}
