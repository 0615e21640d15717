package dev.tollgate.relay.bench;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.anthropic.AnthropicRequestParser;
import dev.tollgate.relay.api.anthropic.AnthropicRequestValidator;
import dev.tollgate.relay.api.openai.ChatRequestValidator;
import dev.tollgate.relay.api.openai.OpenAiPromptCounter;
import dev.tollgate.relay.api.openai.OpenAiRequestParser;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.anthropic.AnthropicRequestMapper;
import dev.tollgate.relay.provider.gemini.GeminiRequestMapper;
import dev.tollgate.relay.provider.openai.OpenAiPreset;
import dev.tollgate.relay.provider.openai.OpenAiRequestMapper;
import dev.tollgate.relay.snapshot.Channel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.databind.node.ObjectNode;

/**
 * A client's chat request from its bytes to the upstream's bytes, as the pipeline does it: the inbound dialect's
 * validator (parse + checks), then either the pass-through mapper or the dialect's parser into the internal model
 * and the upstream's request mapper. Run with {@code ./tollgate bench jmh RequestMappingBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestMappingBench {

    private static final long DEFAULT_MAX_TOKENS = 4096;

    private byte[] openAiBody;
    private byte[] anthropicBody;
    private Channel openAiChannel;
    private ObjectNode openAiTree;

    @Setup
    public void setUp() {
        openAiBody = BenchData.resource("openai-chat-request.json");
        anthropicBody = BenchData.resource("anthropic-request.json");
        openAiChannel = BenchData.channel("openai", "https://api.openai.com/v1");
        openAiTree = ChatRequestValidator.validate(openAiBody).tree();
    }

    /** Same dialect, same model, not streamed: the client's bytes go up as they are. */
    @Benchmark
    public byte[] openAiPassThrough() {
        return OpenAiRequestMapper.createRequest(openAiCall(), false);
    }

    /** Same dialect, streamed: the relay forces {@code stream_options.include_usage} on, so the body is rewritten. */
    @Benchmark
    public byte[] openAiPassThroughStream() {
        return OpenAiRequestMapper.createRequest(openAiCall(), true);
    }

    @Benchmark
    public byte[] openAiToAnthropic() {
        ChatRequest chat = OpenAiRequestParser.toChat(ChatRequestValidator.validate(openAiBody).tree());
        return AnthropicRequestMapper.createRequest(chat, "claude-sonnet-4-20250514", false, DEFAULT_MAX_TOKENS);
    }

    @Benchmark
    public byte[] openAiToGemini() {
        ChatRequest chat = OpenAiRequestParser.toChat(ChatRequestValidator.validate(openAiBody).tree());
        return GeminiRequestMapper.createRequest(chat, "gemini-2.5-flash");
    }

    @Benchmark
    public byte[] anthropicToOpenAi() {
        ChatRequest chat = AnthropicRequestParser.toChat(AnthropicRequestValidator.validate(anthropicBody).tree());
        return OpenAiRequestMapper.createRequest(chat, "gpt-4o-mini", OpenAiPreset.forProvider("openai"), false);
    }

    /** The local prompt estimate admission makes for every request (o200k tokens of the already parsed tree). */
    @Benchmark
    public long openAiPromptCount() {
        return OpenAiPromptCounter.count(openAiTree);
    }

    private UpstreamCall openAiCall() {
        InboundRequest inbound = ChatRequestValidator.validate(openAiBody);
        return new UpstreamCall(openAiChannel, Dialect.OPENAI, inbound.tree(), inbound.raw(), inbound.model(),
                inbound.includeUsage());
    }
}
