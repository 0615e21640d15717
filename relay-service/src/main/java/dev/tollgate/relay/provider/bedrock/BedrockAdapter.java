package dev.tollgate.relay.provider.bedrock;

import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.provider.ChannelOptions;
import dev.tollgate.relay.provider.ProviderAdapter;
import dev.tollgate.relay.provider.Providers;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.snapshot.Channel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;

/**
 * AWS Bedrock through the Converse API ({@code POST /model/{modelId}/converse} and {@code /converse-stream}).
 * Bedrock speaks no client's dialect, so every call is translated: {@link UpstreamCall#chat()} is always set.
 * The upstream model id is the channel's mapping of the asked model (a base id, or a cross-region profile such as
 * {@code us.anthropic.claude-sonnet-4-20250514-v1:0}, passed unchanged).
 */
public class BedrockAdapter implements ProviderAdapter {

    public static final String PROVIDER = "bedrock";

    private final BedrockClients clients;

    public BedrockAdapter(BedrockClients clients) {
        this.clients = clients;
    }

    @Override
    public boolean supports(String provider) {
        return PROVIDER.equals(Providers.family(provider));
    }

    @Override
    public Dialect dialect() {
        return Dialect.BEDROCK;
    }

    @Override
    public Mono<UpstreamResult> complete(UpstreamCall call) {
        return Mono.defer(() -> converse(call))
                .onErrorResume(BedrockErrorMapper::isRefusal, error -> Mono.just(BedrockErrorMapper.toRefused(error)))
                .onErrorMap(BedrockErrorMapper::isTransportFailure, BedrockErrorMapper::toFailure);
    }

    @Override
    public Mono<UpstreamResult> stream(UpstreamCall call) {
        return Mono.defer(() -> converseStream(call))
                .onErrorResume(BedrockErrorMapper::isRefusal, error -> Mono.just(BedrockErrorMapper.toRefused(error)))
                .onErrorMap(BedrockErrorMapper::isTransportFailure, BedrockErrorMapper::toFailure);
    }

    private Mono<UpstreamResult> converse(UpstreamCall call) {
        String modelId = call.upstreamModel();
        ConverseRequest request = BedrockRequestMapper.createConverseRequest(chat(call), modelId).toBuilder()
                .overrideConfiguration(override(call.channel(), true))
                .build();
        BedrockRuntimeAsyncClient client = clients.clientFor(call.channel());
        // Cancelling the Mono cancels the future, which aborts the HTTP call.
        return Mono.fromFuture(() -> client.converse(request))
                .map(response -> new UpstreamResult.Completed(BedrockResponseMapper.toChatResponse(response, modelId)));
    }

    /**
     * The stream's result once Bedrock accepted it: its first event (so an error status, or an exception as the
     * first event, becomes {@link UpstreamResult.Refused} and not a cut stream), then the rest as they come.
     */
    private Mono<UpstreamResult> converseStream(UpstreamCall call) {
        String modelId = call.upstreamModel();
        ConverseStreamRequest request = BedrockRequestMapper.createConverseStreamRequest(chat(call), modelId)
                .toBuilder()
                .overrideConfiguration(override(call.channel(), false))
                .build();
        BedrockRuntimeAsyncClient client = clients.clientFor(call.channel());
        StreamHandler handler = new StreamHandler();
        Flux<ConverseStreamOutput> upstream = Mono.<SdkPublisher<ConverseStreamOutput>>create(
                        sink -> handler.start(client, request, sink))
                .flatMapMany(Flux::from)
                // Cancelling aborts the call, which closes the upstream connection.
                .doOnCancel(handler::abort);
        return upstream
                .switchOnFirst((first, events) -> first.hasError()
                        ? Flux.<UpstreamResult>error(first.getThrowable())
                        : Mono.just(new UpstreamResult.Translated(translated(events, handler, modelId))),
                        false) // the events go on after the result is out
                .singleOrEmpty();
    }

    private static Flux<ChatEvent> translated(Flux<ConverseStreamOutput> events, StreamHandler handler,
            String modelId) {
        return Flux.defer(() -> {
            BedrockStreamTranslator translator = new BedrockStreamTranslator(
                    BedrockResponseMapper.responseId(handler.requestId()), modelId);
            return events
                    .concatMapIterable(translator::translate)
                    .concatWith(Flux.defer(() -> ending(translator)));
        })
                .onErrorMap(BedrockErrorMapper::isTransportFailure, BedrockErrorMapper::toFailure);
    }

    /**
     * The events due at the end of the upstream's stream. The SDK completes the stream quietly when the connection
     * drops mid-body; a stream that ends before the message did is a cut, and is reported as one.
     */
    private static Flux<ChatEvent> ending(BedrockStreamTranslator translator) {
        if (!translator.finished()) {
            return Flux.error(new UpstreamFailure.Unreachable("the Bedrock stream broke off before the message ended",
                    null));
        }
        return Flux.fromIterable(translator.complete());
    }

    /**
     * The channel's extra headers and, for a whole answer, its own timeout (a stream's length is the model's to
     * decide: only the connection's read timeout applies to it).
     */
    private static AwsRequestOverrideConfiguration override(Channel channel, boolean whole) {
        AwsRequestOverrideConfiguration.Builder override = AwsRequestOverrideConfiguration.builder();
        ChannelOptions.extraHeaders(channel).forEach(override::putHeader);
        Duration timeout = ChannelOptions.timeout(channel, null);
        if (whole && timeout != null) {
            override.apiCallTimeout(timeout);
        }
        return override.build();
    }

    private static ChatRequest chat(UpstreamCall call) {
        if (call.chat() == null) {
            throw new IllegalStateException("Bedrock is reached only by translation: the call carries no chat request");
        }
        return call.chat();
    }

    /**
     * The SDK's side of one stream: hands over the event publisher once Bedrock answered 2xx, or the error that came
     * instead (settled once; errors after the publisher is out reach its subscriber).
     */
    private static final class StreamHandler implements ConverseStreamResponseHandler {

        private final AtomicBoolean settled = new AtomicBoolean();
        private volatile MonoSink<SdkPublisher<ConverseStreamOutput>> sink;
        private volatile CompletableFuture<Void> call;
        private volatile String requestId;

        void start(BedrockRuntimeAsyncClient client, ConverseStreamRequest request,
                MonoSink<SdkPublisher<ConverseStreamOutput>> sink) {
            this.sink = sink;
            CompletableFuture<Void> future = client.converseStream(request, this);
            this.call = future;
            future.whenComplete((ignored, error) -> {
                if (error != null) {
                    fail(error);
                }
            });
            sink.onCancel(this::abort);
        }

        String requestId() {
            return requestId;
        }

        void abort() {
            CompletableFuture<Void> future = call;
            if (future != null) {
                future.cancel(true);
            }
        }

        @Override
        public void responseReceived(ConverseStreamResponse response) {
            requestId = response.responseMetadata() == null ? null : response.responseMetadata().requestId();
        }

        @Override
        public void onEventStream(SdkPublisher<ConverseStreamOutput> publisher) {
            if (settled.compareAndSet(false, true)) {
                sink.success(publisher);
            }
        }

        @Override
        public void exceptionOccurred(Throwable error) {
            fail(error);
        }

        @Override
        public void complete() {
            // The publisher's subscriber sees the completion.
        }

        private void fail(Throwable error) {
            if (settled.compareAndSet(false, true)) {
                sink.error(error);
            }
        }
    }
}
