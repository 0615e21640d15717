package dev.tollgate.relay.bench;

import dev.tollgate.relay.api.anthropic.AnthropicResponseWriter;
import dev.tollgate.relay.api.openai.OpenAiResponseWriter;
import dev.tollgate.relay.provider.Operation;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.provider.anthropic.AnthropicResponseMapper;
import dev.tollgate.relay.provider.openai.OpenAiResponseMapper;
import dev.tollgate.relay.provider.openai.OpenAiUsageExtractor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A whole (non-streamed) upstream answer to the client's bytes: translated (the upstream's response mapper into the
 * internal answer, then the inbound dialect's writer), or passed through (only the usage is read for metering).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ResponseMappingBench {

    private byte[] openAiAnswer;
    private byte[] anthropicAnswer;

    @Setup
    public void setUp() {
        openAiAnswer = BenchData.resource("openai-answer.json");
        anthropicAnswer = BenchData.resource("anthropic-answer.json");
    }

    @Benchmark
    public byte[] anthropicToOpenAi() {
        return OpenAiResponseWriter.write(AnthropicResponseMapper.toChatResponse(anthropicAnswer), "gpt-4o-mini");
    }

    @Benchmark
    public byte[] openAiToAnthropic() {
        return AnthropicResponseWriter.write(OpenAiResponseMapper.toChatResponse(openAiAnswer),
                "claude-sonnet-4-20250514");
    }

    @Benchmark
    public UpstreamResult.Answered openAiPassThrough() {
        return OpenAiUsageExtractor.toAnswered(Operation.CHAT, 200, "application/json", openAiAnswer);
    }

    @Benchmark
    public UpstreamResult.Answered anthropicPassThrough() {
        return AnthropicResponseMapper.toAnswered(200, "application/json", anthropicAnswer);
    }
}
