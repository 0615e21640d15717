package dev.tollgate.relay.provider.anthropic.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The data of one Messages stream event, keyed by its {@code type}. A type this relay does not know reads as
 * {@link Unknown} (new event kinds must not break a stream).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type", defaultImpl = StreamEvent.Unknown.class)
@JsonSubTypes({
        @JsonSubTypes.Type(value = StreamEvent.MessageStart.class, name = "message_start"),
        @JsonSubTypes.Type(value = StreamEvent.ContentBlockStart.class, name = "content_block_start"),
        @JsonSubTypes.Type(value = StreamEvent.ContentBlockDelta.class, name = "content_block_delta"),
        @JsonSubTypes.Type(value = StreamEvent.ContentBlockStop.class, name = "content_block_stop"),
        @JsonSubTypes.Type(value = StreamEvent.MessageDelta.class, name = "message_delta"),
        @JsonSubTypes.Type(value = StreamEvent.MessageStop.class, name = "message_stop"),
        @JsonSubTypes.Type(value = StreamEvent.Ping.class, name = "ping"),
        @JsonSubTypes.Type(value = StreamEvent.Error.class, name = "error")})
public sealed interface StreamEvent {

    /** The message's id, model and the usage known at the start (input classes, an initial output count). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record MessageStart(@JsonProperty("message") MessagesResponse message) implements StreamEvent {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ContentBlockStart(@JsonProperty("index") int index, @JsonProperty("content_block") ContentBlock contentBlock)
            implements StreamEvent {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ContentBlockDelta(@JsonProperty("index") int index, @JsonProperty("delta") BlockDelta delta)
            implements StreamEvent {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ContentBlockStop(@JsonProperty("index") int index) implements StreamEvent {
    }

    /** The stop reason and the cumulative usage. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record MessageDelta(@JsonProperty("delta") MessageDeltaBody delta, @JsonProperty("usage") Usage usage)
            implements StreamEvent {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record MessageStop() implements StreamEvent {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Ping() implements StreamEvent {
    }

    /** The upstream broke off mid-stream (e.g. {@code overloaded_error}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Error(@JsonProperty("error") ErrorBody.Detail error) implements StreamEvent {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Unknown() implements StreamEvent {
    }

    /**
     * A block's delta: {@code text_delta} ({@code text}), {@code input_json_delta} ({@code partial_json}),
     * {@code thinking_delta} ({@code thinking}), {@code signature_delta} ({@code signature}); others
     * ({@code citations_delta}, …) read with only their {@code type}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record BlockDelta(
            @JsonProperty("type") String type,
            @JsonProperty("text") String text,
            @JsonProperty("partial_json") String partialJson,
            @JsonProperty("thinking") String thinking,
            @JsonProperty("signature") String signature) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record MessageDeltaBody(
            @JsonProperty("stop_reason") String stopReason,
            @JsonProperty("stop_sequence") String stopSequence) {
    }
}
