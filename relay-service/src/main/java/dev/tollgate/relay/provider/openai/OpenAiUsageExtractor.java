package dev.tollgate.relay.provider.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.provider.Operation;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.provider.openai.wire.ChatChunk;
import dev.tollgate.relay.provider.openai.wire.ChatCompletion;
import dev.tollgate.relay.provider.openai.wire.ChatUsage;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

/** Reads OpenAI usage reports into our disjoint token classes. Pure. */
public final class OpenAiUsageExtractor {

    /** Reads one value in the middle of a document: what follows it is not "trailing". */
    private static final ObjectReader USAGE = Json.mapper().readerFor(ChatUsage.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private OpenAiUsageExtractor() {
    }

    /** The usage of a whole {@code chat.completion} body, or null when it has none or is not JSON. */
    public static TokenUsage fromResponse(byte[] body) {
        ChatCompletion completion = read(body);
        return completion == null ? null : fromUsage(completion.usage());
    }

    /**
     * A successful whole answer: its usage report, or — when the upstream sent none, as some compatible servers
     * do — its generated text, for the recorder to count.
     */
    public static UpstreamResult.Answered toAnswered(int status, String contentType, byte[] body) {
        // The usage report alone, the rest skipped: binding every answer whole cost ~9 % of the relay's CPU.
        Optional<ChatUsage> reported = usageOnly(body);
        if (reported == null) {
            return new UpstreamResult.Answered(status, contentType, body, null, ""); // not JSON
        }
        TokenUsage usage = reported.map(OpenAiUsageExtractor::fromUsage).orElse(null);
        if (usage != null) {
            return new UpstreamResult.Answered(status, contentType, body, usage, "");
        }
        ChatCompletion completion = read(body);
        return new UpstreamResult.Answered(status, contentType, body, null,
                completion == null ? "" : generatedText(completion));
    }

    /**
     * The top-level {@code usage} object of a JSON answer, skipping everything else without binding it; empty when
     * there is none (or it is null), null when the body is not a JSON object.
     */
    static Optional<ChatUsage> usageOnly(byte[] body) {
        try (JsonParser parser = Json.mapper().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (String name = parser.nextName(); name != null; name = parser.nextName()) {
                JsonToken value = parser.nextToken();
                if ("usage".equals(name) && value == JsonToken.START_OBJECT) {
                    return Optional.ofNullable(USAGE.readValue(parser));
                }
                parser.skipChildren();
            }
            return Optional.empty();
        } catch (JacksonException e) {
            return null;
        }
    }

    /**
     * A successful whole answer of any endpoint: chat's, legacy completions' and embeddings' usage as chat's; a
     * moderation reports none and is billed by the request alone (the price row's per-request price); an image
     * generation counts its images (the answer's {@code data}), plus the tokens GPT Image models report.
     */
    public static UpstreamResult.Answered toAnswered(Operation operation, int status, String contentType,
            byte[] body) {
        switch (operation) {
            case MODERATIONS:
                return new UpstreamResult.Answered(status, contentType, body, TokenUsage.NONE, "");
            case IMAGE_GENERATIONS:
            case IMAGE_EDITS:
                return new UpstreamResult.Answered(status, contentType, body, imageUsage(body), "");
            case RERANK:
                return new UpstreamResult.Answered(status, contentType, body, rerankUsage(body), "");
            default:
                return toAnswered(status, contentType, body);
        }
    }

    /**
     * What a rerank answer reports, in the shapes servers use: Jina's and vLLM's {@code usage.total_tokens} (or
     * {@code prompt_tokens}); SiliconFlow's and Cohere's {@code meta.tokens} / {@code meta.billed_units}
     * {@code input_tokens} and {@code output_tokens}; Cohere's {@code meta.billed_units.search_units}, counted as
     * billable requests (the price row's per-request price). Null when it reports none: the relay's own count of the
     * query and documents is billed, marked estimated.
     */
    static TokenUsage rerankUsage(byte[] body) {
        JsonNode answer;
        try {
            answer = Json.mapper().readTree(body);
        } catch (JacksonException e) {
            return null;
        }
        if (answer == null || !answer.isObject()) {
            return null;
        }
        JsonNode usage = answer.path("usage");
        JsonNode meta = answer.path("meta");
        JsonNode tokens = meta.path("tokens").isObject() ? meta.path("tokens") : meta.path("billed_units");
        long searchUnits = meta.path("billed_units").path("search_units").asLong(0);
        long input;
        long output = 0;
        if (usage.path("total_tokens").isIntegralNumber() || usage.path("prompt_tokens").isIntegralNumber()) {
            input = usage.path("total_tokens").isIntegralNumber() ? usage.path("total_tokens").asLong(0)
                    : usage.path("prompt_tokens").asLong(0);
        } else if (tokens.path("input_tokens").isIntegralNumber() || tokens.path("output_tokens").isIntegralNumber()) {
            input = tokens.path("input_tokens").asLong(0);
            output = tokens.path("output_tokens").asLong(0);
        } else if (searchUnits > 0) {
            input = 0;
        } else {
            return null;
        }
        return TokenUsage.ofTokens(Math.max(0, input), Math.max(0, output)).withRequests(Math.max(0, searchUnits));
    }

    /** The images an answer holds and the tokens a GPT Image model reports ({@code input_tokens} …); null if unreadable. */
    static TokenUsage imageUsage(byte[] body) {
        JsonNode answer;
        try {
            answer = Json.mapper().readTree(body);
        } catch (JacksonException e) {
            return null;
        }
        if (answer == null || !answer.path("data").isArray()) {
            return null;
        }
        JsonNode usage = answer.path("usage");
        long cached = usage.path("input_tokens_details").path("cached_tokens").asLong(0);
        long input = usage.path("input_tokens").asLong(0);
        return new TokenUsage(Math.max(0, input - cached), cached, 0, usage.path("output_tokens").asLong(0), 0, 0,
                answer.path("data").size(), 0);
    }

    /**
     * A usage report in our classes. The compatible servers' own shapes are read too: DeepSeek's
     * {@code prompt_cache_hit_tokens} count as cache reads when {@code cached_tokens} says less (or nothing), and
     * reasoning that xAI counts beside {@code completion_tokens} (its {@code total_tokens} is prompt + completion +
     * reasoning) is added to the output, which in our classes always includes reasoning.
     */
    static TokenUsage fromUsage(ChatUsage usage) {
        if (usage == null || usage.promptTokens() == null && usage.completionTokens() == null) {
            return null;
        }
        long prompt = orZero(usage.promptTokens());
        long completion = orZero(usage.completionTokens());
        long cached = usage.promptTokensDetails() == null ? 0 : orZero(usage.promptTokensDetails().cachedTokens());
        cached = Math.max(cached, orZero(usage.promptCacheHitTokens()));
        long reasoning = usage.completionTokensDetails() == null ? 0
                : orZero(usage.completionTokensDetails().reasoningTokens());
        if (reasoningBesideCompletion(usage.totalTokens(), prompt, completion, reasoning)) {
            completion += reasoning;
        }
        return TokenUsage.fromOpenAi(prompt, cached, completion, reasoning);
    }

    /** The usage a stream chunk reports ({@code usage}, or Groq's {@code x_groq.usage}), or null. */
    static TokenUsage fromChunk(ChatChunk chunk) {
        return fromUsage(chunk.reportedUsage());
    }

    /** OpenAI's total is prompt + completion (reasoning inside); a total that adds the reasoning again says not. */
    private static boolean reasoningBesideCompletion(Long total, long prompt, long completion, long reasoning) {
        return reasoning > 0 && total != null && total == prompt + completion + reasoning;
    }

    /**
     * What every choice generated: content (a string or text parts), reasoning, refusal, and tool calls' names
     * and arguments — the same parts a stream's deltas are counted by.
     */
    static String generatedText(ChatCompletion completion) {
        if (completion.choices() == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (ChatCompletion.Choice choice : completion.choices()) {
            if (choice != null) {
                append(text, choice.text());
            }
            ChatCompletion.Message message = choice == null ? null : choice.message();
            if (message == null) {
                continue;
            }
            appendContent(text, message.content());
            append(text, message.reasoningContent() != null ? message.reasoningContent() : message.reasoning());
            append(text, message.refusal());
            if (message.toolCalls() != null) {
                for (ChatChunk.ToolCall call : message.toolCalls()) {
                    appendFunction(text, call == null ? null : call.function());
                }
            }
            appendFunction(text, message.functionCall());
        }
        return text.toString();
    }

    private static void appendContent(StringBuilder text, JsonNode content) {
        if (content == null) {
            return;
        }
        if (content.isString()) {
            text.append(content.asString());
            return;
        }
        for (JsonNode part : content) {
            if (part.path("text").isString()) {
                text.append(part.path("text").asString());
            }
            if (part.path("refusal").isString()) {
                text.append(part.path("refusal").asString());
            }
        }
    }

    private static void appendFunction(StringBuilder text, ChatChunk.Function function) {
        if (function != null) {
            append(text, function.name());
            append(text, function.arguments());
        }
    }

    private static void append(StringBuilder text, String part) {
        if (part != null) {
            text.append(part);
        }
    }

    private static ChatCompletion read(byte[] body) {
        try {
            return Json.mapper().readValue(body, ChatCompletion.class);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
