package dev.tollgate.relay.provider.openai;

import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.provider.ChannelOptions;
import dev.tollgate.relay.provider.NativeResponses;
import dev.tollgate.relay.provider.Operation;
import dev.tollgate.relay.provider.ProviderAdapter;
import dev.tollgate.relay.provider.Providers;
import dev.tollgate.relay.provider.StreamStep;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.provider.UpstreamFailures;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.snapshot.Channel;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * OpenAI and every OpenAI-compatible server: {@code POST {baseUrl}/chat/completions}. An OpenAI caller's request is
 * passed through; any other caller's is translated ({@link OpenAiRequestMapper}, {@link OpenAiResponseMapper},
 * {@link OpenAiChatStreamTranslator}). Where a call goes and what its server needs done its own way come from an
 * {@link OpenAiTarget} per call: the presets' by default, Azure's for the Azure adapter that composes this one.
 * A Responses caller is passed through to {@code {baseUrl}/responses} on a channel that serves that API itself
 * ({@link ResponsesCapability}), with the stored responses' own calls ({@link NativeResponses}); elsewhere it is
 * translated to chat like any other caller.
 */
public class OpenAiAdapter implements ProviderAdapter, NativeResponses {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
            new ParameterizedTypeReference<>() { };
    private static final byte[] EMPTY = new byte[0];
    private static final String API_KEY = "api-key";
    /** Azure's finer Retry-After, in milliseconds. */
    private static final String RETRY_AFTER_MS = "retry-after-ms";
    private static final Pattern MILLIS = Pattern.compile("\\d{1,12}");

    private final WebClient webClient;
    private final Function<UpstreamCall, OpenAiTarget> targets;
    private final Predicate<Channel> nativeResponses;

    /** OpenAI and its presets. */
    public OpenAiAdapter(WebClient webClient) {
        this(webClient, OpenAiTarget::of, ResponsesCapability::servesResponses);
    }

    /** @param targets where each call goes (may throw an {@link UpstreamFailure} for a channel that cannot work) */
    public OpenAiAdapter(WebClient webClient, Function<UpstreamCall, OpenAiTarget> targets) {
        this(webClient, targets, ResponsesCapability::servesResponses);
    }

    /** @param nativeResponses which channels serve the Responses API themselves */
    public OpenAiAdapter(WebClient webClient, Function<UpstreamCall, OpenAiTarget> targets,
            Predicate<Channel> nativeResponses) {
        this.webClient = webClient;
        this.targets = targets;
        this.nativeResponses = nativeResponses;
    }

    @Override
    public boolean passesThrough(Dialect inbound, Channel channel) {
        return inbound == Dialect.OPENAI || inbound == Dialect.OPENAI_RESPONSES && servesResponses(channel);
    }

    @Override
    public boolean servesResponses(Channel channel) {
        return nativeResponses.test(channel);
    }

    @Override
    public boolean supports(String provider) {
        return Providers.OPENAI.equals(Providers.family(provider));
    }

    @Override
    public Dialect dialect() {
        return Dialect.OPENAI;
    }

    /**
     * Every OpenAI endpoint the relay knows (a server that lacks one answers 404); rerank only where the preset or
     * the channel's config says the server has it, since OpenAI itself has none.
     */
    @Override
    public boolean serves(Operation operation, Channel channel) {
        return operation != Operation.RERANK
                || OpenAiPreset.servesRerank(channel.provider(), channel.configString(OpenAiPreset.RERANK_CONFIG));
    }

    @Override
    public Mono<UpstreamResult> complete(UpstreamCall call) {
        if (call.operation() == Operation.AUDIO_SPEECH) {
            return speech(call);
        }
        // Deferred: a request the mapper cannot translate fails as an error signal, not a throw at assembly.
        return Mono.defer(() -> post(call, false)
                        // A transcription answers text, srt or vtt when asked to.
                        .accept(call.operation().audioUpload() ? MediaType.ALL : MediaType.APPLICATION_JSON)
                        .exchangeToMono(response -> toResult(response, call)))
                .onErrorMap(UpstreamFailures::isTransportFailure, UpstreamFailures::toFailure);
    }

    @Override
    public Mono<UpstreamResult> stream(UpstreamCall call) {
        return Mono.defer(() -> post(call, true)
                        .accept(MediaType.TEXT_EVENT_STREAM)
                        .retrieve()
                        .toEntityFlux(SSE))
                .map(entity -> call.translated() ? translated(entity)
                        : call.operation() == Operation.RESPONSES ? responsesStreaming(entity)
                        : streaming(entity, call.clientWantsUsage()))
                .onErrorResume(WebClientResponseException.class, OpenAiAdapter::refused)
                .onErrorMap(UpstreamFailures::isTransportFailure, UpstreamFailures::toFailure);
    }

    /**
     * Speech: the audio handed on as the upstream sends it (not read whole), with the upstream's content type; an
     * error status is read whole as a refusal.
     */
    private Mono<UpstreamResult> speech(UpstreamCall call) {
        return Mono.defer(() -> post(call, false)
                        .accept(MediaType.ALL)
                        .retrieve()
                        .toEntityFlux(DataBuffer.class))
                .<UpstreamResult>map(entity -> new UpstreamResult.Bytes(entity.getStatusCode().value(),
                        entity.getHeaders().getContentType() == null ? null
                                : entity.getHeaders().getContentType().toString(),
                        entity.getBody() == null ? Flux.empty() : entity.getBody()))
                .onErrorResume(WebClientResponseException.class, OpenAiAdapter::refused)
                .onErrorMap(UpstreamFailures::isTransportFailure, UpstreamFailures::toFailure);
    }

    private WebClient.RequestHeadersSpec<?> post(UpstreamCall call, boolean stream) {
        OpenAiTarget target = targets.apply(call);
        Channel channel = call.channel();
        WebClient.RequestBodySpec request = webClient.post()
                // A URI, not a template: an Azure deployment name arrives already encoded.
                .uri(URI.create(target.url()))
                .headers(headers -> {
                    authorize(headers, target.keyHeader(), channel.apiKey());
                    addPresetHeaders(headers, target.preset(), channel);
                    ChannelOptions.addExtraHeaders(headers, channel);
                })
                .httpRequest(ChannelOptions.responseTimeout(channel));
        if (call.operation().upload()) {
            return request.contentType(MediaType.MULTIPART_FORM_DATA)
                    .body(BodyInserters.fromMultipartData(
                            OpenAiUploadRequestMapper.createRequest(call, target.model())));
        }
        byte[] body;
        if (call.embeddingsTranslated()) {
            body = OpenAiEmbeddingsMapper.createRequest(call.embeddings(), target.model());
        } else if (call.translated()) {
            body = OpenAiRequestMapper.createRequest(call.chat(), target.model(), target.preset(), stream);
        } else if (call.operation() == Operation.RESPONSES) {
            body = ResponsesRequestMapper.createRequest(call, target.model(), stream);
        } else {
            body = OpenAiRequestMapper.createRequest(call, target.model(), target.preset(), stream);
        }
        return request.contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body);
    }

    static String chatUrl(String baseUrl) {
        return OpenAiTarget.chatUrl(baseUrl);
    }

    private static void authorize(HttpHeaders headers, OpenAiTarget.KeyHeader keyHeader, String apiKey) {
        if (apiKey == null || apiKey.isEmpty()) {
            return; // a local Ollama or vLLM takes none
        }
        if (keyHeader == OpenAiTarget.KeyHeader.API_KEY) {
            headers.set(API_KEY, apiKey);
        } else {
            headers.setBearerAuth(apiKey);
        }
    }

    /** The preset's headers from the channel's config (OpenRouter's {@code siteUrl} → {@code HTTP-Referer} …). */
    static void addPresetHeaders(HttpHeaders headers, OpenAiPreset preset, Channel channel) {
        preset.configHeaders().forEach((key, header) -> {
            String value = channel.configString(key);
            if (value != null && !value.isBlank()) {
                headers.set(header, value.strip());
            }
        });
    }

    /**
     * The upstream's Retry-After, or Azure's {@code retry-after-ms} rounded up to the seconds Retry-After speaks
     * in when only that came.
     */
    static String retryAfter(HttpHeaders headers) {
        String seconds = headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (seconds != null && !seconds.isBlank()) {
            return seconds;
        }
        String millis = headers.getFirst(RETRY_AFTER_MS);
        if (millis == null || !MILLIS.matcher(millis.strip()).matches()) {
            return null;
        }
        return Long.toString((Long.parseLong(millis.strip()) + 999) / 1000);
    }

    private static Mono<UpstreamResult> toResult(ClientResponse response, UpstreamCall call) {
        return response.bodyToMono(byte[].class)
                .defaultIfEmpty(EMPTY)
                .map(body -> toResult(response, body, call));
    }

    private static UpstreamResult toResult(ClientResponse response, byte[] body, UpstreamCall call) {
        int status = response.statusCode().value();
        String contentType = response.headers().contentType().map(MediaType::toString).orElse(null);
        if (response.statusCode().isError()) {
            return new UpstreamResult.Refused(status, contentType, body,
                    retryAfter(response.headers().asHttpHeaders()), OpenAiErrorReader.message(body));
        }
        if (call.embeddingsTranslated()) {
            return embedded(body);
        }
        if (call.translated()) {
            return completed(body);
        }
        if (call.operation() == Operation.RESPONSES) {
            return ResponsesUsageExtractor.toAnswered(status, contentType, body);
        }
        return call.operation().audioUpload() ? OpenAiAudioUsage.toAnswered(call.request(), status, contentType, body)
                : OpenAiUsageExtractor.toAnswered(call.operation(), status, contentType, body);
    }

    private static UpstreamResult completed(byte[] body) {
        try {
            return new UpstreamResult.Completed(OpenAiResponseMapper.toChatResponse(body));
        } catch (IllegalArgumentException e) {
            // A success status with no answer in it: as good as no answer, so failover may try another channel.
            throw new UpstreamFailure.Unreachable("upstream answered without a readable chat.completion", e);
        }
    }

    private static UpstreamResult embedded(byte[] body) {
        try {
            return new UpstreamResult.Embedded(OpenAiEmbeddingsMapper.toEmbeddingResponse(body));
        } catch (IllegalArgumentException e) {
            throw new UpstreamFailure.Unreachable("upstream answered without a readable embeddings list", e);
        }
    }

    private static UpstreamResult streaming(ResponseEntity<Flux<ServerSentEvent<String>>> entity, boolean wantsUsage) {
        Flux<ServerSentEvent<String>> events = entity.getBody() == null ? Flux.empty() : entity.getBody();
        Flux<StreamStep> steps = events
                .filter(event -> event.data() != null)
                .map(event -> OpenAiStreamTranslator.toStreamStep(event.data(), wantsUsage));
        return new UpstreamResult.Streaming(steps);
    }

    /** A native Responses stream: each named event handed on as it comes, its usage read from the last. */
    private static UpstreamResult responsesStreaming(ResponseEntity<Flux<ServerSentEvent<String>>> entity) {
        Flux<ServerSentEvent<String>> events = entity.getBody() == null ? Flux.empty() : entity.getBody();
        return new UpstreamResult.Streaming(events
                .filter(event -> event.data() != null)
                .map(event -> ResponsesStreamTranslator.toStreamStep(event.event(), event.data())));
    }

    @Override
    public Mono<UpstreamResult> stored(Channel channel, HttpMethod method, String responseId, String tail,
            String query) {
        return Mono.defer(() -> {
                    // The target of a Responses call on this channel, whose URL the stored response's sits under.
                    UpstreamCall probe = new UpstreamCall(channel, Dialect.OPENAI_RESPONSES,
                            tools.jackson.databind.node.JsonNodeFactory.instance.objectNode(), EMPTY, "",
                            false, null, Operation.RESPONSES);
                    OpenAiTarget target = targets.apply(probe);
                    String url = OpenAiTarget.under(target.url(),
                            "/" + URLEncoder.encode(responseId, StandardCharsets.UTF_8) + tail, query);
                    return webClient.method(method)
                            .uri(URI.create(url))
                            .headers(headers -> {
                                authorize(headers, target.keyHeader(), channel.apiKey());
                                addPresetHeaders(headers, target.preset(), channel);
                                ChannelOptions.addExtraHeaders(headers, channel);
                            })
                            .httpRequest(ChannelOptions.responseTimeout(channel))
                            .accept(MediaType.APPLICATION_JSON)
                            .exchangeToMono(response -> response.bodyToMono(byte[].class)
                                    .defaultIfEmpty(EMPTY)
                                    .map(body -> storedResult(response, body)));
                })
                .onErrorMap(UpstreamFailures::isTransportFailure, UpstreamFailures::toFailure);
    }

    private static UpstreamResult storedResult(ClientResponse response, byte[] body) {
        int status = response.statusCode().value();
        String contentType = response.headers().contentType().map(MediaType::toString).orElse(null);
        if (response.statusCode().isError()) {
            return new UpstreamResult.Refused(status, contentType, body,
                    retryAfter(response.headers().asHttpHeaders()), OpenAiErrorReader.message(body));
        }
        return new UpstreamResult.Answered(status, contentType, body, null, "");
    }

    /** A translated stream: one translator per subscription, since it remembers the open block. */
    private static UpstreamResult translated(ResponseEntity<Flux<ServerSentEvent<String>>> entity) {
        Flux<ServerSentEvent<String>> events = entity.getBody() == null ? Flux.empty() : entity.getBody();
        Flux<ChatEvent> chatEvents = Flux.defer(() -> {
            OpenAiChatStreamTranslator translator = new OpenAiChatStreamTranslator();
            return events
                    .filter(event -> event.data() != null)
                    .concatMapIterable(event -> translator.next(event.data()));
        });
        return new UpstreamResult.Translated(chatEvents);
    }

    private static Mono<UpstreamResult> refused(WebClientResponseException e) {
        MediaType type = e.getHeaders().getContentType();
        byte[] body = e.getResponseBodyAsByteArray();
        return Mono.just(new UpstreamResult.Refused(e.getStatusCode().value(), type == null ? null : type.toString(),
                body, retryAfter(e.getHeaders()), OpenAiErrorReader.message(body)));
    }
}
