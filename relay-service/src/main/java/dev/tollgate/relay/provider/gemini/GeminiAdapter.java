package dev.tollgate.relay.provider.gemini;

import dev.tollgate.contracts.upstream.GoogleServiceAccount;
import dev.tollgate.contracts.upstream.VertexAi;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.chat.EmbeddingRequest;
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
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
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
 * caller's body goes up as it is (the model is only in the URL); any other is translated.
 *
 * <p>A Vertex AI channel ({@link VertexAi#isVertex}: config {@code project}/{@code location}, or a service-account
 * JSON key) gets the same bodies at its {@link VertexAi} URLs, with {@code Authorization: Bearer} and a token from
 * {@link VertexTokens}, or an express-mode API key in {@code x-goog-api-key}. A key the token endpoint refuses is a
 * 401 refusal (the next channel is tried, this one reported like any refused key); a cached token Vertex refuses
 * is replaced by a fresh one and the call sent once more. Embeddings go to AI Studio's {@code :batchEmbedContents}
 * or to Vertex's {@code :predict} (see {@link VertexEmbeddingsMapper}: Vertex counts the tokens, AI Studio does not).
 */
public class GeminiAdapter implements ProviderAdapter {

    public static final String PROVIDER = "gemini";

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
            new ParameterizedTypeReference<>() { };
    private static final byte[] EMPTY = new byte[0];
    private static final String BATCH_EMBED = ":batchEmbedContents";
    /** Calls of one split embeddings request in flight at once: quicker than one by one, gentle on the quota. */
    private static final int PART_CONCURRENCY = 4;

    private final WebClient webClient;
    private final VertexTokens vertexTokens;

    public GeminiAdapter(WebClient webClient) {
        this(webClient, new VertexTokens(webClient, Clock.systemUTC()));
    }

    public GeminiAdapter(WebClient webClient, VertexTokens vertexTokens) {
        this.webClient = webClient;
        this.vertexTokens = vertexTokens;
    }

    @Override
    public boolean supports(String provider) {
        return PROVIDER.equals(Providers.family(provider));
    }

    @Override
    public Dialect dialect() {
        return Dialect.GEMINI;
    }

    /**
     * Chat (and Responses, translated to it), and embeddings (always translated: to {@code batchEmbedContents} on AI
     * Studio, to the model's {@code :predict} on Vertex AI).
     */
    @Override
    public boolean serves(Operation operation, Channel channel) {
        return operation == Operation.CHAT || operation == Operation.RESPONSES || operation == Operation.EMBEDDINGS;
    }

    @Override
    public Mono<UpstreamResult> complete(UpstreamCall call) {
        if (call.embeddingsTranslated() && vertex(call.channel())) {
            List<EmbeddingRequest> parts = VertexEmbeddingsMapper.split(call.embeddings(), call.upstreamModel());
            if (parts.size() > 1) {
                return completeInParts(call, parts);
            }
        }
        return complete(call, () -> body(call));
    }

    private Mono<UpstreamResult> complete(UpstreamCall call, Callable<byte[]> body) {
        // The body first: a request Gemini cannot express is refused before any token is bought.
        return Mono.fromCallable(body)
                .flatMap(bytes -> withFreshTokenOnRefusal(call, false, target -> completeAt(target, call, bytes)))
                .onErrorResume(VertexTokens.TokenRefused.class, e -> Mono.just(e.refusal()))
                .onErrorMap(UpstreamFailures::isTransportFailure, UpstreamFailures::toFailure);
    }

    /**
     * More texts than one Vertex call takes: calls that fit, a few at a time, answers merged in order. The first
     * answer that is no embedding (a refusal) is the call's answer, and the calls still under way are cancelled.
     */
    private Mono<UpstreamResult> completeInParts(UpstreamCall call, List<EmbeddingRequest> parts) {
        return Flux.fromIterable(parts)
                .flatMapSequential(part -> complete(call, () -> VertexEmbeddingsMapper.createRequest(part)),
                        PART_CONCURRENCY)
                .takeUntil(result -> !(result instanceof UpstreamResult.Embedded))
                .collectList()
                .map(GeminiAdapter::merged);
    }

    private static UpstreamResult merged(List<UpstreamResult> results) {
        UpstreamResult last = results.get(results.size() - 1);
        if (!(last instanceof UpstreamResult.Embedded)) {
            return last;
        }
        return new UpstreamResult.Embedded(VertexEmbeddingsMapper.merge(results.stream()
                .map(result -> ((UpstreamResult.Embedded) result).response())
                .toList()));
    }

    @Override
    public Mono<UpstreamResult> stream(UpstreamCall call) {
        return Mono.fromCallable(() -> body(call))
                .flatMap(body -> withFreshTokenOnRefusal(call, true, target -> streamAt(target, call, body)))
                .onErrorResume(VertexTokens.TokenRefused.class, e -> Mono.just(e.refusal()))
                .onErrorMap(UpstreamFailures::isTransportFailure, UpstreamFailures::toFailure);
    }

    /**
     * Sends to the call's target; when Vertex refuses a cached token (revoked, or the clocks disagree) that token is
     * forgotten and the call sent once more with a freshly bought one, before any byte reached the client.
     */
    private Mono<UpstreamResult> withFreshTokenOnRefusal(UpstreamCall call, boolean stream,
            Function<Target, Mono<UpstreamResult>> send) {
        return target(call, stream)
                .flatMap(target -> send.apply(target)
                        .flatMap(result -> refusedToken(call, target, result)
                                ? target(call, stream).flatMap(send)
                                : Mono.just(result)));
    }

    private Mono<UpstreamResult> completeAt(Target target, UpstreamCall call, byte[] body) {
        return post(call, target, body)
                .accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(response -> toResult(response, call));
    }

    private Mono<UpstreamResult> streamAt(Target target, UpstreamCall call, byte[] body) {
        return post(call, target, body)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .toEntityFlux(SSE)
                .map(entity -> streaming(entity, call))
                .onErrorResume(WebClientResponseException.class, GeminiAdapter::refused);
    }

    /**
     * Where the call goes and how it authenticates: AI Studio with the key, or Vertex AI with a bearer token
     * (bought first when none is fresh) or an express-mode key.
     */
    Mono<Target> target(UpstreamCall call, boolean stream) {
        return Mono.defer(() -> {
            Channel channel = call.channel();
            if (!VertexAi.isVertex(channel.config(), channel.apiKey())) {
                String url = call.embeddingsTranslated() ? url(channel.baseUrl(), call.upstreamModel(), BATCH_EMBED)
                        : url(channel.baseUrl(), call.upstreamModel(), stream);
                return Mono.just(new Target(url, headers -> authorize(headers, channel.apiKey()), null));
            }
            boolean serviceAccount = GoogleServiceAccount.looksLikeJsonKey(channel.apiKey());
            GoogleServiceAccount account = serviceAccount ? vertexTokens.account(channel) : null;
            VertexAi vertex;
            try {
                vertex = VertexAi.of(channel.baseUrl(), channel.config(), account == null ? null : account.projectId());
            } catch (IllegalArgumentException e) {
                return Mono.error(new UpstreamFailure.Unreachable("Vertex AI channel " + channel.id()
                        + " is misconfigured: " + e.getMessage(), null));
            }
            String url = call.embeddingsTranslated() ? vertex.predictUrl(call.upstreamModel())
                    : vertex.generateUrl(call.upstreamModel(), stream);
            if (!serviceAccount) {
                return Mono.just(new Target(url, headers -> authorize(headers, channel.apiKey()), null));
            }
            return vertexTokens.token(channel)
                    .map(token -> new Target(url, headers -> headers.setBearerAuth(token), token));
        });
    }

    /** A 401 from Vertex for a token we thought fresh: forgets it (true), so the next target buys another. */
    private boolean refusedToken(UpstreamCall call, Target target, UpstreamResult result) {
        if (target.token() != null && result instanceof UpstreamResult.Refused refused && refused.status() == 401) {
            vertexTokens.invalidate(call.channel(), target.token());
            return true;
        }
        return false;
    }

    /**
     * One call's URL and authentication.
     *
     * @param token the bearer token used, or null (an API key)
     */
    record Target(String url, Consumer<HttpHeaders> auth, String token) {

        @Override
        public String toString() {
            return "Target[url=" + url + "]";
        }
    }

    /** The upstream body; called inside {@code Mono.fromCallable}, so an {@code Untranslatable} becomes an error signal. */
    private static byte[] body(UpstreamCall call) {
        if (call.embeddingsTranslated()) {
            return vertex(call.channel()) ? VertexEmbeddingsMapper.createRequest(call.embeddings())
                    : GeminiEmbeddingsMapper.createRequest(call.embeddings(), call.upstreamModel());
        }
        return call.translated()
                ? GeminiRequestMapper.createRequest(call.chat(), call.upstreamModel())
                : call.rawBody();
    }

    private WebClient.RequestHeadersSpec<?> post(UpstreamCall call, Target target, byte[] body) {
        Channel channel = call.channel();
        return webClient.post()
                .uri(URI.create(target.url()))
                .headers(headers -> {
                    target.auth().accept(headers);
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
                        return embedded(body, vertex(call.channel()));
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

    private static boolean vertex(Channel channel) {
        return VertexAi.isVertex(channel.config(), channel.apiKey());
    }

    private static UpstreamResult embedded(byte[] body, boolean vertex) {
        try {
            return new UpstreamResult.Embedded(vertex ? VertexEmbeddingsMapper.toEmbeddingResponse(body)
                    : GeminiEmbeddingsMapper.toEmbeddingResponse(body));
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
