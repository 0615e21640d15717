package dev.tollgate.relay.provider.gemini;

import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.provider.ChannelOptions;
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
import java.nio.charset.StandardCharsets;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * Gemini through Google AI Studio: {@code POST {root}/v1beta/models/{model}:generateContent} and
 * {@code :streamGenerateContent?alt=sse}, with the channel key in {@code x-goog-api-key}. The channel's base URL is
 * the root ({@code https://generativelanguage.googleapis.com}; a trailing {@code /v1beta} is tolerated). A Gemini
 * caller's body goes up as it is (the model is only in the URL); any other is translated. Vertex AI (service
 * accounts, regional endpoints) is not served by this adapter.
 */
public class GeminiAdapter implements ProviderAdapter {

    public static final String PROVIDER = "gemini";

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
            new ParameterizedTypeReference<>() { };
    private static final byte[] EMPTY = new byte[0];
    private static final String BATCH_EMBED = ":batchEmbedContents";

    private final WebClient webClient;

    public GeminiAdapter(WebClient webClient) {
        this.webClient = webClient;
    }

    @Override
    public boolean supports(String provider) {
        return PROVIDER.equals(Providers.family(provider));
    }

    @Override
    public Dialect dialect() {
        return Dialect.GEMINI;
    }

    /** Chat, and embeddings (always translated, to {@code batchEmbedContents}). */
    @Override
    public boolean serves(Operation operation, Channel channel) {
        return operation == Operation.CHAT || operation == Operation.EMBEDDINGS;
    }

    @Override
    public Mono<UpstreamResult> complete(UpstreamCall call) {
        return Mono.defer(() -> post(call, false)
                        .accept(MediaType.APPLICATION_JSON)
                        .exchangeToMono(response -> toResult(response, call)))
                .onErrorMap(UpstreamFailures::isTransportFailure, UpstreamFailures::toFailure);
    }

    @Override
    public Mono<UpstreamResult> stream(UpstreamCall call) {
        return Mono.defer(() -> post(call, true)
                        .accept(MediaType.TEXT_EVENT_STREAM)
                        .retrieve()
                        .toEntityFlux(SSE)
                        .map(entity -> streaming(entity, call)))
                .onErrorResume(WebClientResponseException.class, GeminiAdapter::refused)
                .onErrorMap(UpstreamFailures::isTransportFailure, UpstreamFailures::toFailure);
    }

    /** The request; called inside {@code Mono.defer}, so an {@code Untranslatable} becomes an error signal. */
    private WebClient.RequestHeadersSpec<?> post(UpstreamCall call, boolean stream) {
        boolean embed = call.embeddingsTranslated();
        byte[] body = embed ? GeminiEmbeddingsMapper.createRequest(call.embeddings(), call.upstreamModel())
                : call.translated() ? GeminiRequestMapper.createRequest(call.chat(), call.upstreamModel())
                : call.rawBody();
        Channel channel = call.channel();
        String url = embed ? url(channel.baseUrl(), call.upstreamModel(), BATCH_EMBED)
                : url(channel.baseUrl(), call.upstreamModel(), stream);
        return webClient.post()
                .uri(URI.create(url))
                .headers(headers -> {
                    authorize(headers, channel.apiKey());
                    ChannelOptions.addExtraHeaders(headers, channel);
                })
                .httpRequest(ChannelOptions.responseTimeout(channel))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body);
    }

    /**
     * {@code {root}/v1beta/models/{model}:generateContent}, or {@code :streamGenerateContent?alt=sse}; the base may end
     * in {@code /} or already in {@code /v1beta}, and the model may come with its {@code models/} prefix.
     */
    static String url(String baseUrl, String model, boolean stream) {
        return url(baseUrl, model, stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
    }

    /** {@code {root}/v1beta/models/{model}{method}}, the method with its colon (and query, if any). */
    static String url(String baseUrl, String model, String method) {
        String base = baseUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        if (base.endsWith("/v1beta")) {
            base = base.substring(0, base.length() - "/v1beta".length());
        }
        String name = model.startsWith("models/") ? model.substring("models/".length()) : model;
        return base + "/v1beta/models/" + UriUtils.encodePathSegment(name, StandardCharsets.UTF_8) + method;
    }

    private static void authorize(HttpHeaders headers, String apiKey) {
        if (apiKey != null && !apiKey.isEmpty()) {
            headers.set("x-goog-api-key", apiKey);
        }
    }

    private static Mono<UpstreamResult> toResult(ClientResponse response, UpstreamCall call) {
        int status = response.statusCode().value();
        String contentType = response.headers().contentType().map(MediaType::toString).orElse(null);
        String retryAfter = response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER);
        return response.bodyToMono(byte[].class)
                .defaultIfEmpty(EMPTY)
                .map(body -> {
                    if (response.statusCode().isError()) {
                        return refusal(status, contentType, body, retryAfter);
                    }
                    if (call.embeddingsTranslated()) {
                        return embedded(body);
                    }
                    return call.translated() ? completed(body, call.upstreamModel())
                            : GeminiResponseMapper.toAnswered(status, contentType, body);
                });
    }

    private static UpstreamResult completed(byte[] body, String upstreamModel) {
        try {
            return new UpstreamResult.Completed(GeminiResponseMapper.toChatResponse(body, upstreamModel));
        } catch (JacksonException e) {
            // A success status with a body that is no answer: as good as no answer (the next channel may do better).
            throw new UpstreamFailure.Unreachable("upstream answered with an unreadable body", e);
        }
    }

    private static UpstreamResult embedded(byte[] body) {
        try {
            return new UpstreamResult.Embedded(GeminiEmbeddingsMapper.toEmbeddingResponse(body));
        } catch (IllegalArgumentException e) {
            throw new UpstreamFailure.Unreachable("upstream answered without readable embeddings", e);
        }
    }

    private static UpstreamResult streaming(ResponseEntity<Flux<ServerSentEvent<String>>> entity, UpstreamCall call) {
        Flux<ServerSentEvent<String>> events = entity.getBody() == null ? Flux.empty() : entity.getBody();
        if (call.translated()) {
            Flux<ChatEvent> chatEvents = Flux.defer(() -> {
                GeminiStreamTranslator translator = new GeminiStreamTranslator(call.upstreamModel());
                return events
                        .filter(event -> event.data() != null)
                        .concatMapIterable(event -> translator.toChatEvents(event.data()))
                        .concatWith(Flux.defer(() -> Flux.fromIterable(translator.complete())));
            })
                    .onErrorMap(UpstreamFailures::isTransportFailure, UpstreamFailures::toFailure);
            return new UpstreamResult.Translated(chatEvents);
        }
        Flux<StreamStep> steps = Flux.defer(() -> {
            GeminiStreamTranslator translator = new GeminiStreamTranslator(call.upstreamModel());
            return events
                    .filter(event -> event.data() != null)
                    .map(event -> translator.toStreamStep(event.data()));
        })
                .onErrorMap(UpstreamFailures::isTransportFailure, UpstreamFailures::toFailure);
        return new UpstreamResult.Streaming(steps);
    }

    private static Mono<UpstreamResult> refused(WebClientResponseException e) {
        MediaType type = e.getHeaders().getContentType();
        return Mono.just(refusal(e.getStatusCode().value(), type == null ? null : type.toString(),
                e.getResponseBodyAsByteArray(), e.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)));
    }

    /** Google's answer with the status it stands for, and its retry delay when it sent no Retry-After header. */
    static UpstreamResult.Refused refusal(int status, String contentType, byte[] body, String retryAfter) {
        return new UpstreamResult.Refused(GeminiErrorReader.effectiveStatus(status, body), contentType, body,
                retryAfter != null ? retryAfter : GeminiErrorReader.retryDelayOf(body),
                GeminiErrorReader.messageOf(body));
    }
}
