package dev.tollgate.relay.provider.bedrock;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Message;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.Reasoning;
import dev.tollgate.relay.chat.ResponseFormat;
import dev.tollgate.relay.chat.Tool;
import dev.tollgate.relay.chat.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** A mutable way to write internal chat requests in tests; unset settings stay null as a parser leaves them. */
final class TestChat {

    String model = "claude-sonnet-4";
    List<Part.Text> system = new ArrayList<>();
    List<Message> messages = new ArrayList<>();
    List<Tool> tools = new ArrayList<>();
    ToolChoice toolChoice;
    Long maxTokens;
    Double temperature;
    Double topP;
    Integer topK;
    List<String> stop = new ArrayList<>();
    boolean stream;
    int choices = 1;
    Long seed;
    ResponseFormat responseFormat;
    Reasoning reasoning;
    Double frequencyPenalty;
    Double presencePenalty;
    String user;

    static TestChat asking(String text) {
        TestChat chat = new TestChat();
        chat.user(Part.Text.of(text));
        return chat;
    }

    TestChat user(Part... parts) {
        messages.add(new Message(Message.Role.USER, List.of(parts)));
        return this;
    }

    TestChat assistant(Part... parts) {
        messages.add(new Message(Message.Role.ASSISTANT, List.of(parts)));
        return this;
    }

    ChatRequest build() {
        return new ChatRequest(model, system, messages, tools, toolChoice, maxTokens, temperature, topP, topK, stop,
                stream, choices, seed, responseFormat, reasoning, frequencyPenalty, presencePenalty, user);
    }

    static JsonNode json(String text) {
        return Json.mapper().readTree(text);
    }
}
