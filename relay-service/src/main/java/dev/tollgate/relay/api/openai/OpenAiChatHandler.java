package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.admission.Admission;
import dev.tollgate.relay.admission.AdmissionGate;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.api.SseFrames;
import dev.tollgate.relay.auth.CidrMatcher;
import dev.tollgate.relay.auth.KeyAuthenticator;
import dev.tollgate.relay.auth.Principal;
import dev.tollgate.relay.metering.RequestMeter;
import dev.tollgate.relay.metering.UsageRecorder;
import dev.tollgate.relay.provider.ProviderAdapter;
import dev.tollgate.relay.provider.ProviderAdapters;
import dev.tollgate.relay.provider.StreamStep;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.routing.ChannelRouter;
import dev.tollgate.relay.snapshot.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * {@code POST /v1/chat/completions}: authenticate → read and validate the body → route → admit → call the
 * upstream → pass the answer through (whole, or event by event for streams). Every authenticated request ends
 * in exactly one usage event, however it ends.
 */
public class OpenAiChatHandler {

    private static final Logger log = LoggerFactory.getLogger(OpenAiChatHandler.class);
    private static final byte[] EMPTY = new byte[0];
    private static final DefaultDataBufferFactory FRAMES = DefaultDataBufferFactory.sharedInstance;

    private final KeyAuthenticator authenticator;
    private final ChannelRouter router;
    private final AdmissionGate admission;
    private final ProviderAdapters adapters;
    private final UsageRecorder recorder;
    private final OpenAiErrorWriter errors;
    private final int maxBodyBytes;

    public OpenAiChatHandler(KeyAuthenticator authenticator, ChannelRouter router, AdmissionGate admission,
            ProviderAdapters adapters, UsageRecorder recorder, OpenAiErrorWriter errors, int maxBodyBytes) {
        this.authenticator = authenticator;
        this.router = router;
        this.admission = admission;
        this.adapters = adapters;
        this.recorder = recorder;
        this.errors = errors;
        this.maxBodyBytes = maxBodyBytes;
    }

    public Mono<ServerResponse> handle(ServerRequest request) {
        RequestMeter meter = new RequestMeter();
        return authenticator.authenticate(request.headers().asHttpHeaders())
                .doOnNext(principal -> meter.identify(principal.keyId(), principal.userId(), principal.group()))
                .flatMap(principal -> accept(request, principal, meter))
                .onErrorResume(error -> reject(error, meter))
                .doFinally(signal -> endUnlessStreaming(meter, signal));
    }

    private Mono<ServerResponse> accept(ServerRequest request, Principal principal, RequestMeter meter) {
        checkAddress(request, principal);
        return readBody(request)
                .map(ChatRequestValidator::validate)
                .flatMap(chat -> relay(principal, chat, meter));
    }

    static void checkAddress(ServerRequest request, Principal principal) {
        InetAddress client = request.remoteAddress()
                .map(InetSocketAddress::getAddress)
                .orElse(null);
        if (!CidrMatcher.allows(principal.key().allowedCidrs(), client)) {
            throw Rejection.of(Rejection.Kind.IP_NOT_ALLOWED, "This API key may not be used from your IP address.");
        }
    }

    private Mono<byte[]> readBody(ServerRequest request) {
        long declared = request.headers().contentLength().orElse(-1);
        if (declared > maxBodyBytes) {
            return Mono.error(tooLarge());
        }
        return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), maxBodyBytes)
                .map(OpenAiChatHandler::toBytes)
                .defaultIfEmpty(EMPTY)
                .onErrorMap(DataBufferLimitException.class, e -> tooLarge());
    }

    private Rejection tooLarge() {
        return Rejection.of(Rejection.Kind.REQUEST_TOO_LARGE,
                "Request too large: the body exceeds the limit of " + maxBodyBytes + " bytes.");
    }

    private static byte[] toBytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    private Mono<ServerResponse> relay(Principal principal, InboundRequest chat, RequestMeter meter) {
        meter.modelAsked(chat.model());
        if (!principal.key().allowsModel(chat.model())) {
            throw Rejection.modelNotFound(chat.model());
        }
        Channel channel = router.select(principal.group(), chat.model())
                .orElseThrow(() -> Rejection.modelNotFound(chat.model()));
        ProviderAdapter adapter = adapters.forProvider(channel.provider())
                .orElseThrow(() -> Rejection.modelNotFound(chat.model()));
        meter.routed(channel.id(), channel.provider(), channel.upstreamModel(chat.model()));
        long promptTokens = OpenAiPromptCounter.count(chat.tree());
        Admission admitted = admission.admit(principal, chat.model(), promptTokens, chat.maxTokens(),
                chat.choices());
        meter.admitted(admitted.price(), admitted.multiplierBp(), promptTokens, admitted.reservation());
        UpstreamCall call = new UpstreamCall(channel, dev.tollgate.relay.chat.Dialect.OPENAI, chat.tree(), chat.raw(), chat.model(), chat.includeUsage());
        meter.upstreamCalled();
        Mono<UpstreamResult> result = chat.stream() ? adapter.stream(call) : adapter.complete(call);
        return result.flatMap(answer -> respond(answer, channel, meter));
    }

    private Mono<ServerResponse> respond(UpstreamResult result, Channel channel, RequestMeter meter) {
        if (result instanceof UpstreamResult.Answered answered) {
            meter.answered(answered.status(), answered.usage(), answered.text());
            return passThrough(answered.status(), answered.contentType(), answered.body(), meter);
        }
        if (result instanceof UpstreamResult.Refused refused) {
            return refused(refused, channel, meter);
        }
        UpstreamResult.Streaming streaming = (UpstreamResult.Streaming) result;
        meter.streaming();
        return ServerResponse.ok()
                .header(OpenAiErrorWriter.REQUEST_ID_HEADER, meter.requestId())
                .header("Cache-Control", "no-cache")
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .body(BodyInserters.fromDataBuffers(forward(streaming.steps(), meter)));
    }

    /**
     * An upstream error answer: the client's own mistakes pass through; the rest become a generic error, since
     * the upstream's words are about the operator's account. The real status goes to the log and the usage event.
     */
    private Mono<ServerResponse> refused(UpstreamResult.Refused refused, Channel channel, RequestMeter meter) {
        log.warn("Upstream answered HTTP {} to request {} on channel {}", refused.status(), meter.requestId(),
                channel.id());
        Optional<Rejection> rejection = OpenAiRefusalMapper.toRejection(refused);
        if (rejection.isEmpty()) {
            meter.upstreamRefused(refused.status(), refused.status());
            return passThrough(refused.status(), refused.contentType(), refused.body(), meter);
        }
        meter.upstreamRefused(refused.status(), rejection.get().kind().status());
        return errors.write(rejection.get(), meter.requestId());
    }

    /** The upstream's bytes as they came: no parse-and-reserialise on the way out. */
    private static Mono<ServerResponse> passThrough(int status, String contentType, byte[] body, RequestMeter meter) {
        return ServerResponse.status(status)
                .header(OpenAiErrorWriter.REQUEST_ID_HEADER, meter.requestId())
                .contentType(contentType == null ? MediaType.APPLICATION_JSON : MediaType.parseMediaType(contentType))
                .bodyValue(body);
    }

    /**
     * Event by event to the client (each flushed as it comes). A client that goes away cancels this flux, which
     * cancels the upstream body and so closes the upstream connection.
     */
    private Flux<DataBuffer> forward(Flux<StreamStep> steps, RequestMeter meter) {
        return steps
                .doOnNext(meter::observe)
                .filter(step -> step.data() != null)
                .<DataBuffer>map(step -> FRAMES.wrap(SseFrames.data(step.data())))
                .onErrorResume(error -> cutShort(error, meter))
                .doFinally(signal -> recorder.finish(meter, signal == SignalType.CANCEL));
    }

    /** The upstream broke off mid-stream: the status is already sent, so end the stream and record it. */
    private static Flux<DataBuffer> cutShort(Throwable error, RequestMeter meter) {
        meter.streamCut("upstream_stream_cut");
        return Flux.empty();
    }

    private Mono<ServerResponse> reject(Throwable error, RequestMeter meter) {
        Rejection rejection = OpenAiErrorWriter.toRejection(error);
        meter.failed(rejection.kind().status(), rejection.kind().errorClass(), rejection.kind().upstreamSide());
        return errors.write(rejection, meter.requestId());
    }

    /** A streamed body ends the request itself; everything else ends here. */
    private void endUnlessStreaming(RequestMeter meter, SignalType signal) {
        if (signal == SignalType.ON_COMPLETE && meter.bodyStreaming()) {
            return;
        }
        recorder.finish(meter, signal == SignalType.CANCEL);
    }
}
