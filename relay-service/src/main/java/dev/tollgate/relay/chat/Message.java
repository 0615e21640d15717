package dev.tollgate.relay.chat;

import java.util.List;

/** One turn of the conversation. System prompts are not messages: see {@link ChatRequest#system()}. */
public record Message(Role role, List<Part> parts) {

    public enum Role {
        USER,
        ASSISTANT
    }

    public Message {
        parts = List.copyOf(parts);
    }
}
