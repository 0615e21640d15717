package dev.tollgate.relay.provider.openai.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The part of a {@code chat.completion} the relay reads: only its usage (the body itself passes through). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatCompletion(String id, ChatUsage usage) {
}
