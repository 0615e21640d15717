package dev.tollgate.relay.api;

import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.admission.Admission;
import dev.tollgate.relay.admission.AdmissionGate;
import dev.tollgate.relay.auth.ClientAddress;
import dev.tollgate.relay.auth.KeyAuthenticator;
import dev.tollgate.relay.auth.Principal;
import dev.tollgate.relay.capture.BodyCaptures;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.metering.RequestMdc;
import dev.tollgate.relay.metering.RequestMeter;
import dev.tollgate.relay.limits.RateLimiter;
import dev.tollgate.relay.metering.UsageRecorder;
import dev.tollgate.relay.provider.Operation;
import dev.tollgate.relay.provider.StreamStep;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.routing.ChannelRouter;
import dev.tollgate.relay.routing.Failover;
import dev.tollgate.relay.routing.RoutePlan;
import dev.tollgate.relay.snapshot.Channel;
import dev.tollgate.relay.tracing.RelayTracing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
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
 * A chat request in any inbound dialect: authenticate → read and validate the body → route → admit → call the
 * upstream (passing the body through when it speaks the caller's dialect, else translating through the internal
 * model) → answer in the caller's dialect (whole, or event by event for streams). Every authenticated request
 * ends in exactly one usage event, however it ends. OpenAI's other JSON endpoints (embeddings, legacy
 * completions, moderations, images, audio) run through the same stages as dialects whose {@code operation()}
 * only passes through; an upload (audio to transcribe, images to edit) is read by its dialect as multipart, and
 * speech's audio is handed on as it arrives.
 */
public class ChatPipeline {

    private static final Logger log = LoggerFactory.getLogger(ChatPipeline.class);
    private static final byte[] EMPTY = new byte[0];
    private static final String CUT_MESSAGE = "The upstream provider ended the stream early.";
    private static final DefaultDataBufferFactory FRAMES = DefaultDataBufferFactory.sharedInstance;

    /** Pins a request to one channel id, for testing channels; honoured only for an admin's key. */
    public static final String PIN_HEADER = "x-tollgate-channel";

    private final KeyAuthenticator authenticator;
    private final ClientAddress clientAddress;
    private final RateLimiter rateLimiter;
    private final ChannelRouter router;
    private final AdmissionGate admission;
    private final Failover failover;
    private final UsageRecorder recorder;
    private final BodyCaptures captures;
    private final int maxBodyBytes;
    private final Duration heartbeat;
    private final RelayTracing tracing;

    public ChatPipeline(KeyAuthenticator authenticator, ClientAddress clientAddress, RateLimiter rateLimiter,
            ChannelRouter router, AdmissionGate admission, Failover failover, UsageRecorder recorder,
            BodyCaptures captures, int maxBodyBytes, Duration heartbeat) {
        this(authenticator, clientAddress, rateLimiter, router, admission, failover, recorder, captures, maxBodyBytes,
                heartbeat, RelayTracing.off());
    }

    /** @param tracing gives the usage event its request's trace context */
    public ChatPipeline(KeyAuthenticator authenticator, ClientAddress clientAddress, RateLimiter rateLimiter,
            ChannelRouter router, AdmissionGate admission, Failover failover, UsageRecorder recorder,
            BodyCaptures captures, int maxBodyBytes, Duration heartbeat, RelayTracing tracing) {
        this.tracing = tracing;
        this.authenticator = authenticator;
        this.clientAddress = clientAddress;
        this.rateLimiter = rateLimiter;
        this.router = router;
        this.admission = admission;
        this.failover = failover;
        this.recorder = recorder;
        this.captures = captures;
        this.maxBodyBytes = maxBodyBytes;
        this.heartbeat = heartbeat;
    }

    public Mono<ServerResponse> handle(ServerRequest request, InboundDialect dialect) {
        RequestMeter meter = new RequestMeter(dialect.dialect().wireName());
        recorder.started();
        Mono<ServerResponse> answer = authenticator.authenticate(request.headers().asHttpHeaders(),
                        dialect.queryKey(request))
                .doOnNext(principal -> identify(meter, principal, dialect))
                .flatMap(principal -> accept(request, dialect, principal, meter))
                .onErrorResume(error -> reject(error, dialect, meter))
                .doFinally(signal -> endUnlessStreaming(meter, signal));
        if (!tracing.enabled()) {
            return answer;
        }
        // The usage event carries the server span's context to the ledger (and its log lines the trace id).
        return Mono.deferContextual(context -> {
            meter.traceparent(tracing.traceparent(context));
            return answer;
        });
    }

    /** Who is calling goes on the meter; a key that captures bodies starts its capture here. */
    private void identify(RequestMeter meter, Principal principal, InboundDialect dialect) {
        meter.identify(principal.keyId(), principal.userId(), principal.group());
        if (principal.key().captureBodies()) {
            meter.capture(captures.start(dialect.dialect()));
        }
    }

    private Mono<ServerResponse> accept(ServerRequest request, InboundDialect dialect, Principal principal,
            RequestMeter meter) {
        clientAddress.check(request, principal);
        Long pinned = pinnedChannel(request, principal);
        Mono<InboundRequest> read = dialect.multipart()
                ? dialect.readMultipart(request).doOnNext(inbound -> captureForm(inbound, meter))
                : readBody(request).map(body -> validate(body, dialect, meter));
        return read.flatMap(inbound -> relay(dialect, principal, inbound, pinned, meter));
    }

    /** An upload is kept as its form fields (the file is not), and only for a key that captures bodies. */
    private static void captureForm(InboundRequest inbound, RequestMeter meter) {
        if (meter.capturing()) {
            meter.captureRequest(inbound.tree().toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A capturing key's body is kept as it came, before it is judged: a refused request is worth seeing too. */
    private static InboundRequest validate(byte[] body, InboundDialect dialect, RequestMeter meter) {
        meter.captureRequest(body);
        return dialect.validate(body);
    }

    /** The channel an admin's request pins ({@link #PIN_HEADER}); ignored for everyone else. */
    static Long pinnedChannel(ServerRequest request, Principal principal) {
        String value = request.headers().firstHeader(PIN_HEADER);
        if (value == null || !principal.user().admin()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw Rejection.invalid("The " + PIN_HEADER + " header must be a channel id.", null);
        }
    }

    public Mono<byte[]> readBody(ServerRequest request) {
        long declared = request.headers().contentLength().orElse(-1);
        if (declared > maxBodyBytes) {
            return Mono.error(tooLarge());
        }
        return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), maxBodyBytes)
                .map(ChatPipeline::toBytes)
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

    private Mono<ServerResponse> relay(InboundDialect dialect, Principal principal, InboundRequest asSent,
            Long pinned, RequestMeter meter) {
        String model = asSent.model();
        meter.modelAsked(model);
        if (!principal.key().allowsModel(model)) {
            throw Rejection.modelNotFound(model);
        }
        InboundDialect.Resolved resolved = dialect.resolve(asSent, principal);
        InboundRequest inbound = resolved.request();
        RoutePlan plan = resolved.channelId() == null ? router.plan(principal.routingGroups(), model, pinned)
                : router.planOn(principal.routingGroups(), model, resolved.channelId());
        if (plan.isEmpty() && resolved.channelId() != null && !plan.heldBack()) {
            // The state lives on a channel this key may not use for this model (or that is gone).
            throw Rejection.invalid("'" + resolved.reference() + "' was made on a channel that does not serve `"
                    + model + "` to this key.", resolved.param());
        }
        if (plan.isEmpty()) {
            throw plan.heldBack() ? Rejection.of(Rejection.Kind.UNAVAILABLE, "Every channel serving `" + model
                    + "` is failing or cooling down; please retry shortly.") : Rejection.modelNotFound(model);
        }
        long promptTokens = dialect.countPrompt(inbound.tree());
        meter.rateGranted(rateLimiter.acquire(principal, promptTokens));
        // Priced by the first choice; a failover to another channel keeps that price.
        String priceModel = plan.candidates().get(0).priceModel(model);
        meter.pricedBy(priceModel);
        // An image generation's or edit's n is images, priced per image; a chat's n is choices, priced by their tokens.
        long images = dialect.operation().perImage() ? inbound.choices() : 0;
        Admission admitted = admission.admit(principal, priceModel, promptTokens, inbound.maxTokens(),
                inbound.choices(), images, dialect.reserveAudioSeconds(inbound));
        meter.admitted(admitted.price(), admitted.multiplierBp(), promptTokens, admitted.reservation());
        Failover.Request call = new Failover.Request(plan, dialect.dialect(), inbound.tree(), inbound.raw(), model,
                inbound.stream(), inbound.includeUsage(), once(() -> dialect.toChat(inbound.tree())), meter,
                dialect.operation(), dialect.operation() == Operation.EMBEDDINGS
                        ? once(() -> dialect.toEmbeddings(inbound.tree())) : null);
        return failover.call(call)
                .flatMap(answer -> respond(answer.result(), dialect, inbound, promptTokens, answer.channel(),
                        answer.passThrough(), meter));
    }

    /** The request in the internal model, parsed the first time a channel needs it. */
    private static <T> Supplier<T> once(Supplier<T> parse) {
        List<T> parsed = new ArrayList<>(1);
        return () -> {
            if (parsed.isEmpty()) {
                parsed.add(parse.get());
            }
            return parsed.get(0);
        };
    }

    private Mono<ServerResponse> respond(UpstreamResult result, InboundDialect dialect, InboundRequest inbound,
            long promptTokens, Channel channel, boolean passThrough, RequestMeter meter) {
        if (result instanceof UpstreamResult.Answered answered) {
            TokenUsage bound = answered.usage() == null && answered.status() < 300
                    ? dialect.unreportedUsage(inbound, promptTokens) : null;
            if (bound != null) {
                meter.answeredWithBound(answered.status(), bound);
            } else {
                meter.answered(answered.status(), answered.usage(), answered.text());
            }
            byte[] body = dialect.passThroughBody(answered.body(), channel);
            meter.captureResponse(body);
            return whole(answered.status(), answered.contentType(), body, dialect, meter);
        }
        if (result instanceof UpstreamResult.Completed completed) {
            ChatResponse response = completed.response();
            meter.answered(200, response.usage(), response.usage() == null ? response.generatedText() : "");
            byte[] body = dialect.writeResponse(response, inbound.model());
            meter.captureResponse(body);
            return whole(200, MediaType.APPLICATION_JSON_VALUE, body, dialect, meter);
        }
        if (result instanceof UpstreamResult.Embedded embedded) {
            // No usage reported (Gemini): the local count of the input is billed, marked estimated by the recorder.
            meter.answered(200, embedded.response().usage(), "");
            byte[] body = dialect.writeEmbeddings(embedded.response(), inbound, promptTokens);
            meter.captureResponse(body);
            return whole(200, MediaType.APPLICATION_JSON_VALUE, body, dialect, meter);
        }
        if (result instanceof UpstreamResult.Refused refused) {
            return refused(refused, dialect, channel, passThrough, meter);
        }
        if (result instanceof UpstreamResult.Bytes bytes) {
            return bytes(bytes, dialect, promptTokens, meter);
        }
        if (meter.capturing()) {
            meter.captureStream(answer -> dialect.writeResponse(answer, inbound.model()));
        }
        Flux<DataBuffer> frames;
        if (result instanceof UpstreamResult.Streaming streaming) {
            Flux<StreamStep> steps = dialect.passThroughSteps(streaming.steps(), channel);
            frames = forward(steps, dialect.passThroughWriter(inbound, promptTokens), dialect.heartbeat(), meter);
        } else {
            UpstreamResult.Translated translated = (UpstreamResult.Translated) result;
            frames = render(translated.events(), dialect.streamWriter(inbound, promptTokens), dialect.heartbeat(),
                    meter);
        }
        recorder.streamOpened(meter);
        return ServerResponse.ok()
                .headers(headers -> dialect.addIdHeaders(headers, meter.requestId()))
                .header("Cache-Control", "no-cache")
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .body(BodyInserters.fromDataBuffers(frames));
    }

    /**
     * An upstream error answer: the client's own mistakes reach it (as they are, or re-worded in its dialect); the
     * rest become a generic error, since the upstream's words are about the operator's account. The real status
     * goes to the log and the usage event.
     */
    private Mono<ServerResponse> refused(UpstreamResult.Refused refused, InboundDialect dialect, Channel channel,
            boolean passThrough, RequestMeter meter) {
        try (RequestMdc ids = RequestMdc.of(meter)) {
            log.warn("Upstream answered HTTP {} to request {} on channel {}", refused.status(), meter.requestId(),
                    channel.id());
        }
        Optional<Rejection> rejection = RefusalMapper.toRejection(refused, passThrough);
        if (rejection.isEmpty()) {
            meter.upstreamRefused(refused.status(), refused.status());
            meter.captureResponse(refused.body());
            return whole(refused.status(), refused.contentType(), refused.body(), dialect, meter);
        }
        meter.upstreamRefused(refused.status(), rejection.get().kind().status());
        return dialect.writeError(rejection.get(), meter.requestId());
    }

    /**
     * Audio bytes handed on as they arrive, never held whole. The upstream reports no usage for them: the request's
     * input, counted locally, is what is billed (with any per-request price). The request ends when the bytes do.
     */
    private Mono<ServerResponse> bytes(UpstreamResult.Bytes bytes, InboundDialect dialect, long promptTokens,
            RequestMeter meter) {
        meter.answered(bytes.status(), TokenUsage.ofTokens(promptTokens, 0), "");
        meter.streaming();
        recorder.streamOpened(meter);
        Flux<DataBuffer> body = bytes.body()
                .onErrorResume(error -> {
                    log.debug("Upstream body of request {} broke off: {}", meter.requestId(), error.toString());
                    meter.streamCut("upstream_stream_cut");
                    return Flux.empty();
                })
                .doFinally(signal -> recorder.finish(meter, signal == SignalType.CANCEL));
        return ServerResponse.status(bytes.status())
                .headers(headers -> dialect.addIdHeaders(headers, meter.requestId()))
                .contentType(bytes.contentType() == null ? MediaType.APPLICATION_OCTET_STREAM
                        : MediaType.parseMediaType(bytes.contentType()))
                .body(BodyInserters.fromDataBuffers(body));
    }

    /** A whole answer's bytes as they are: no parse-and-reserialise on the way out. */
    private static Mono<ServerResponse> whole(int status, String contentType, byte[] body, InboundDialect dialect,
            RequestMeter meter) {
        return ServerResponse.status(status)
                .headers(headers -> dialect.addIdHeaders(headers, meter.requestId()))
                .contentType(contentType == null ? MediaType.APPLICATION_JSON : MediaType.parseMediaType(contentType))
                .bodyValue(body);
    }

    /**
     * A pass-through stream, event by event to the client (each flushed as it comes). A client that goes away
     * cancels this flux, which cancels the upstream body and so closes the upstream connection.
     */
    private Flux<DataBuffer> forward(Flux<StreamStep> steps, ChatStreamWriter writer, byte[] beat, RequestMeter meter) {
        Flux<DataBuffer> frames = steps
                .doOnNext(meter::observe)
                .filter(step -> step.data() != null)
                .<DataBuffer>map(step -> FRAMES.wrap(SseFrames.event(step.event(), step.data())))
                .onErrorResume(error -> cutShort(error, meter, writer.cutShort(CUT_MESSAGE)));
        // The end is read below the heartbeat's multicast, which cancels its source as it completes.
        return withHeartbeat(frames, beat)
                .doFinally(signal -> recorder.finish(meter, signal == SignalType.CANCEL));
    }

    /** A translated stream: each internal event rendered by the caller's dialect, as it comes. */
    private Flux<DataBuffer> render(Flux<ChatEvent> events, ChatStreamWriter writer, byte[] beat, RequestMeter meter) {
        Flux<DataBuffer> frames = events
                .doOnNext(meter::observe)
                .concatMapIterable(writer::frames)
                .<DataBuffer>map(FRAMES::wrap)
                .onErrorResume(error -> cutShort(error, meter, writer.cutShort(CUT_MESSAGE)));
        return withHeartbeat(frames, beat)
                .doFinally(signal -> recorder.finish(meter, signal == SignalType.CANCEL));
    }

    /**
     * The stream with a heartbeat frame every {@code heartbeat} (none when zero), for proxies that cut streams idle
     * while a slow model thinks. The heartbeats stop with the stream; a client that leaves cancels both.
     */
    private Flux<DataBuffer> withHeartbeat(Flux<DataBuffer> frames, byte[] beat) {
        if (heartbeat.isZero()) {
            return frames;
        }
        return frames.publish(shared -> Flux.merge(shared, Flux.interval(heartbeat, heartbeat)
                .<DataBuffer>map(tick -> FRAMES.wrap(beat.clone()))
                .takeUntilOther(shared.then())));
    }

    /** The upstream broke off mid-stream: the status is already sent, so end the stream and record it. */
    private static Flux<DataBuffer> cutShort(Throwable error, RequestMeter meter, List<byte[]> closing) {
        log.debug("Upstream stream of request {} broke off: {}", meter.requestId(), error.toString());
        meter.streamCut("upstream_stream_cut");
        return Flux.fromIterable(closing).map(FRAMES::wrap);
    }

    private Mono<ServerResponse> reject(Throwable error, InboundDialect dialect, RequestMeter meter) {
        Rejection rejection = Rejections.from(error);
        meter.failed(rejection.kind().status(), rejection.kind().errorClass(), rejection.kind().upstreamSide());
        return dialect.writeError(rejection, meter.requestId());
    }


    /** A streamed body ends the request itself; everything else ends here. */
    private void endUnlessStreaming(RequestMeter meter, SignalType signal) {
        if (signal == SignalType.ON_COMPLETE && meter.bodyStreaming()) {
            return;
        }
        recorder.finish(meter, signal == SignalType.CANCEL);
    }
}
