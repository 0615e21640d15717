package dev.tollgate.relay.bench;

import dev.tollgate.relay.api.ChatStreamWriter;
import dev.tollgate.relay.api.SseFrames;
import dev.tollgate.relay.api.anthropic.AnthropicStreamWriter;
import dev.tollgate.relay.api.openai.OpenAiStreamWriter;
import dev.tollgate.relay.metering.RequestMeter;
import dev.tollgate.relay.provider.anthropic.AnthropicStreamTranslator;
import dev.tollgate.relay.provider.openai.OpenAiChatStreamTranslator;
import dev.tollgate.relay.provider.openai.OpenAiStreamTranslator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ClientCodecConfigurer;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.codec.ServerSentEventHttpMessageReader;
import org.springframework.mock.http.client.reactive.MockClientHttpResponse;
import reactor.core.publisher.Flux;

/**
 * One whole upstream stream, per operation: its bytes (one buffer per SSE event, as they arrive) through the
 * WebClient's SSE decoder, the provider's stream translator and the metering observer, to the client's frames —
 * passed through (the pipeline's {@code forward}) or rendered in another dialect (its {@code render}). The few
 * lines of Reactor glue mirror {@code OpenAiAdapter}/{@code AnthropicAdapter} and {@code ChatPipeline}; every class
 * that reads or writes a payload is the production one. Not included: the upstream request body (see
 * {@link RequestMappingBench}) and the network.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StreamBench {

    /** What ChatPipeline wraps outgoing frames in. */
    private static final DefaultDataBufferFactory FRAMES = DefaultDataBufferFactory.sharedInstance;
    /**
     * What Reactor Netty hands the decoder: pooled Netty buffers, released by the decoder. Not heap
     * {@code DefaultDataBuffer}s: scanning those for line ends boxes every byte (Spring 7.0's {@code getByte} checks
     * its index with a varargs assertion), which made the decoder look 4× as costly as it is.
     */
    private static final NettyDataBufferFactory UPSTREAM = new NettyDataBufferFactory(PooledByteBufAllocator.DEFAULT);
    private static final ResolvableType SSE = ResolvableType.forClassWithGenerics(ServerSentEvent.class, String.class);

    private List<byte[]> openAiStream;
    private List<byte[]> anthropicStream;
    private HttpMessageReader<?> sseReader;

    @Setup
    public void setUp() {
        openAiStream = BenchData.openAiStream();
        anthropicStream = BenchData.anthropicStream();
        // The reader the upstream WebClient decodes SSE with (RelayConfiguration only raises the size limit).
        ClientCodecConfigurer codecs = ClientCodecConfigurer.create();
        codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024);
        sseReader = codecs.getReaders().stream()
                .filter(ServerSentEventHttpMessageReader.class::isInstance)
                .findFirst()
                .orElseThrow();
    }

    /** The decoder alone, for scale: what Spring's SSE parsing costs before any of ours. */
    @Benchmark
    public long sseDecodeOnly() {
        return decode(openAiStream).count().block();
    }

    /** OpenAI upstream → OpenAI client: each chunk read for usage and text, its data re-framed as it came. */
    @Benchmark
    public long openAiPassThrough() {
        RequestMeter meter = new RequestMeter("openai");
        return total(decode(openAiStream)
                .filter(event -> event.data() != null)
                .map(event -> OpenAiStreamTranslator.toStreamStep(event.data(), true))
                .doOnNext(meter::observe)
                .filter(step -> step.data() != null)
                .map(step -> SseFrames.event(step.event(), step.data())));
    }

    /** OpenAI upstream → Anthropic client. */
    @Benchmark
    public long openAiToAnthropic() {
        RequestMeter meter = new RequestMeter("anthropic");
        OpenAiChatStreamTranslator translator = new OpenAiChatStreamTranslator();
        ChatStreamWriter writer = new AnthropicStreamWriter("claude-sonnet-4-20250514", 312);
        return total(decode(openAiStream)
                .filter(event -> event.data() != null)
                .concatMapIterable(event -> translator.next(event.data()))
                .doOnNext(meter::observe)
                .concatMapIterable(writer::frames));
    }

    /** Anthropic upstream → Anthropic client. */
    @Benchmark
    public long anthropicPassThrough() {
        RequestMeter meter = new RequestMeter("anthropic");
        AnthropicStreamTranslator translator = AnthropicStreamTranslator.start();
        return total(decode(anthropicStream)
                .filter(event -> event.data() != null)
                .map(event -> translator.toStreamStep(event.event(), event.data()))
                .doOnNext(meter::observe)
                .filter(step -> step.data() != null)
                .map(step -> SseFrames.event(step.event(), step.data())));
    }

    /** Anthropic upstream → OpenAI client (with the usage chunk the client asked for). */
    @Benchmark
    public long anthropicToOpenAi() {
        RequestMeter meter = new RequestMeter("openai");
        AnthropicStreamTranslator translator = AnthropicStreamTranslator.start();
        ChatStreamWriter writer = new OpenAiStreamWriter("gpt-4o-mini", true);
        return total(decode(anthropicStream)
                .concatMapIterable(event -> translator.toChatEvents(event.event(), event.data()))
                .doOnNext(meter::observe)
                .concatMapIterable(writer::frames));
    }

    @SuppressWarnings("unchecked")
    private Flux<ServerSentEvent<String>> decode(List<byte[]> events) {
        MockClientHttpResponse response = new MockClientHttpResponse(HttpStatus.OK);
        response.getHeaders().setContentType(MediaType.TEXT_EVENT_STREAM);
        response.setBody(Flux.fromIterable(events).map(StreamBench::received));
        return (Flux<ServerSentEvent<String>>) (Flux<?>) sseReader.read(SSE, response, Map.of());
    }

    /** One event's bytes as the socket read them into a pooled buffer. */
    private static DataBuffer received(byte[] event) {
        DataBuffer buffer = UPSTREAM.allocateBuffer(event.length);
        buffer.write(event);
        return buffer;
    }

    /** The frames as the pipeline sends them (wrapped in buffers), counted so nothing is optimised away. */
    private static long total(Flux<byte[]> frames) {
        return frames
                .<DataBuffer>map(FRAMES::wrap)
                .reduce(0L, (sum, frame) -> sum + frame.readableByteCount())
                .block();
    }
}
