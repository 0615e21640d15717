package dev.tollgate.relay.api.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A translated answer → the {@code chat.completion} body an OpenAI client reads. Pure (but for the clock). */
public final class OpenAiResponseWriter {

    private OpenAiResponseWriter() {
    }

    /** @param model the model name to show the client (the one it asked for) */
    public static byte[] write(ChatResponse response, String model) {
        return write(response, model, Instant.now().getEpochSecond());
    }

    static byte[] write(ChatResponse response, String model, long created) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("id", response.id() != null && !response.id().isEmpty() ? response.id() : newId());
        body.put("object", "chat.completion");
        body.put("created", created);
        body.put("model", model);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("message", message(response));
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(response.stopReason()));
        if (response.usage() != null) {
            body.set("usage", usage(response.usage()));
        }
        return Json.mapper().writeValueAsBytes(body);
    }

    private static ObjectNode message(ChatResponse response) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        boolean hasText = false;
        ObjectNode message = Json.mapper().createObjectNode();
        message.put("role", "assistant");
        ArrayNode calls = Json.mapper().createArrayNode();
        ArrayNode thinkingBlocks = Json.mapper().createArrayNode();
        for (Part part : response.content()) {
            if (part instanceof Part.Text t) {
                text.append(t.text());
                hasText = true;
            } else if (part instanceof Part.Thinking t) {
                reasoning.append(t.text());
                if (t.signature() != null && !t.signature().isEmpty()) {
                    thinkingBlocks.add(thinkingBlock(t));
                }
            } else if (part instanceof Part.RedactedThinking r) {
                thinkingBlocks.add(redactedBlock(r));
            } else if (part instanceof Part.ToolUse use) {
                ObjectNode call = calls.addObject();
                call.put("id", use.clientId());
                call.put("type", "function");
                ObjectNode function = call.putObject("function");
                function.put("name", use.name());
                function.put("arguments", use.argumentsJson().isEmpty() ? "{}" : use.argumentsJson());
            }
        }
        // OpenAI's own answers say null, not "", when the answer is only tool calls.
        if (hasText || calls.isEmpty()) {
            message.put("content", text.toString());
        } else {
            message.putNull("content");
        }
        message.putNull("refusal");
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        if (!reasoning.isEmpty()) {
            // What DeepSeek and vLLM send, and their clients read.
            message.put("reasoning_content", reasoning.toString());
        }
        if (!thinkingBlocks.isEmpty()) {
            // Signed reasoning, in LiteLLM's shape: a client that sends it back with the assistant turn lets an
            // Anthropic model with thinking continue a tool-use loop.
            message.set("thinking_blocks", thinkingBlocks);
        }
        return message;
    }

    static ObjectNode thinkingBlock(Part.Thinking thinking) {
        ObjectNode block = Json.mapper().createObjectNode();
        block.put("type", "thinking");
        block.put("thinking", thinking.text());
        block.put("signature", thinking.signature());
        return block;
    }

    static ObjectNode redactedBlock(Part.RedactedThinking redacted) {
        ObjectNode block = Json.mapper().createObjectNode();
        block.put("type", "redacted_thinking");
        block.put("data", redacted.data());
        return block;
    }

    static String finishReason(StopReason reason) {
        if (reason == null) {
            return "stop";
        }
        switch (reason) {
            case MAX_TOKENS:
                return "length";
            case TOOL_USE:
                return "tool_calls";
            case CONTENT_FILTERED:
            case REFUSAL:
                return "content_filter";
            default:
                return "stop";
        }
    }

    /** OpenAI's {@code usage}: {@code prompt_tokens} includes cached and cache-written input. */
    static ObjectNode usage(TokenUsage usage) {
        long prompt = usage.inputTokens() + usage.cacheReadTokens() + usage.cacheWriteTokens();
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("prompt_tokens", prompt);
        node.put("completion_tokens", usage.outputTokens());
        node.put("total_tokens", prompt + usage.outputTokens());
        node.putObject("prompt_tokens_details").put("cached_tokens", usage.cacheReadTokens());
        node.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        return node;
    }

    static String newId() {
        return "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    }
}
