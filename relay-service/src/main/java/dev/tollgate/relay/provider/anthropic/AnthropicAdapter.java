package dev.tollgate.relay.provider.anthropic;

import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.provider.ChannelOptions;
import dev.tollgate.relay.provider.ProviderAdapter;
import dev.tollgate.relay.provider.StreamStep;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.provider.UpstreamFailures;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.snapshot.Channel;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * Anthropic's Messages API: {@code POST {baseUrl}/v1/messages}, with {@code x-api-key} and
 * {@code anthropic-version}. An Anthropic caller is passed through; any other is translated.
 * Channel config: {@code anthropicVersion} (default {@value #DEFAULT_VERSION}), {@code beta} (the
 * {@code anthropic-beta} header: a string, or a list joined with commas).
 */
public class AnthropicAdapter implements ProviderAdapter {

    public static final String PROVIDER = "anthropic";
    static final String DEFAULT_VERSION = "2023-06-01";

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
            new ParameterizedTypeReference<>() { };
    private static final byte[] EMPTY = new byte[0];

    private final WebClient webClient;
    private final long defaultMaxTokens;

    /**
     * @param defaultMaxTokens the output limit of a translated request that gave none (Anthropic requires one)
     */
    public AnthropicAdapter(WebClient webClient, long defaultMaxTokens) {
        this.webClient = webClient;
        this.defaultMaxTokens = defaultMaxTokens;
    }

    @Override
    public boolean supports(String provider) {
        return provider != null && PROVIDER.equals(provider.trim().toLowerCase(Locale.ROOT));
    }

    @Override
    public Dialect dialect() {
        return Dialect.ANTHROPIC;
    }

    @Override
    public Mono<UpstreamResult> complete(UpstreamCall call) {
        return Mono.defer(() -> post(call, false)
                        .accept(MediaType.APPLICATION_JSON)
                        .exchangeToMono(response -> toResult(response, call.translated())))
                .onErrorMap(UpstreamFailures::isTransportFailure, UpstreamFailures::toFailure);
    }

    @Override
    public Mono<UpstreamResult> stream(UpstreamCall call) {
        return Mono.defer(() -> post(call, true)
                        .accept(MediaType.TEXT_EVENT_STREAM)
                        .retrieve()
                        .toEntityFlux(SSE)
                        .map(entity -> streaming(entity, call.translated())))
                .onErrorResume(WebClientResponseException.class, AnthropicAdapter::refused)
                .onErrorMap(UpstreamFailures::isTransportFailure, UpstreamFailures::toFailure);
    }

    /** The request; called inside {@code Mono.defer}, so an {@code Untranslatable} becomes an error signal. */
    private WebClient.RequestHeadersSpec<?> post(UpstreamCall call, boolean stream) {
        byte[] body = call.translated()
                ? AnthropicRequestMapper.createRequest(call.chat(), call.upstreamModel(), stream, defaultMaxTokens)
                : AnthropicRequestMapper.createRequest(call, stream);
        Channel channel = call.channel();
        return webClient.post()
                .uri(messagesUrl(channel.baseUrl()))
                .headers(headers -> {
                    authorize(headers, channel);
                    ChannelOptions.addExtraHeaders(headers, channel);
                })
                .httpRequest(ChannelOptions.responseTimeout(channel))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body);
    }

    /** {@code {baseUrl}/v1/messages}; the base may end in {@code /} or already in {@code /v1}. */
    static String messagesUrl(String baseUrl) {
        String base = baseUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        if (base.endsWith("/v1")) {
            base = base.substring(0, base.length() - "/v1".length());
        }
        return base + "/v1/messages";
    }

    private static void authorize(HttpHeaders headers, Channel channel) {
        String apiKey = channel.apiKey();
        if (apiKey != null && !apiKey.isEmpty()) {
            headers.set("x-api-key", apiKey);
        }
        String version = channel.configString("anthropicVersion");
        headers.set("anthropic-version", version == null || version.isBlank() ? DEFAULT_VERSION : version);
        String beta = beta(channel.config().get("beta"));
        if (beta != null) {
            headers.set("anthropic-beta", beta);
        }
    }

    private static String beta(Object value) {
        if (value instanceof Collection<?> list) {
            String joined = list.stream().map(String::valueOf).map(String::strip).collect(Collectors.joining(","));
            return joined.isEmpty() ? null : joined;
        }
        return value == null || value.toString().isBlank() ? null : value.toString().strip();
    }

    private static Mono<UpstreamResult> toResult(ClientResponse response, boolean translated) {
        int status = response.statusCode().value();
        String contentType = response.headers().contentType().map(MediaType::toString).orElse(null);
        String retryAfter = response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER);
        return response.bodyToMono(byte[].class)
                .defaultIfEmpty(EMPTY)
                .map(body -> {
                    if (response.statusCode().isError()) {
                        return refusal(status, contentType, body, retryAfter);
                    }
                    return translated ? completed(body) : AnthropicResponseMapper.toAnswered(status, contentType, body);
                });
    }

    private static UpstreamResult completed(byte[] body) {
        try {
            return new UpstreamResult.Completed(AnthropicResponseMapper.toChatResponse(body));
        } catch (JacksonException e) {
            // A success status with a body that is no answer: as good as no answer (the next channel may do better).
            throw new UpstreamFailure.Unreachable("upstream answered with an unreadable body", e);
        }
    }

    private static UpstreamResult streaming(ResponseEntity<Flux<ServerSentEvent<String>>> entity, boolean translated) {
        Flux<ServerSentEvent<String>> events = entity.getBody() == null ? Flux.empty() : entity.getBody();
        AnthropicStreamTranslator translator = AnthropicStreamTranslator.start();
        if (translated) {
            Flux<ChatEvent> chatEvents = events
                    .concatMapIterable(event -> translator.toChatEvents(event.event(), event.data()))
                    .onErrorMap(UpstreamFailures::isTransportFailure, UpstreamFailures::toFailure);
            return new UpstreamResult.Translated(chatEvents);
        }
        Flux<StreamStep> steps = events
                .filter(event -> event.data() != null)
                .map(event -> translator.toStreamStep(event.event(), event.data()))
                .onErrorMap(UpstreamFailures::isTransportFailure, UpstreamFailures::toFailure);
        return new UpstreamResult.Streaming(steps);
    }

    private static Mono<UpstreamResult> refused(WebClientResponseException e) {
        MediaType type = e.getHeaders().getContentType();
        return Mono.just(refusal(e.getStatusCode().value(), type == null ? null : type.toString(),
                e.getResponseBodyAsByteArray(), e.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)));
    }

    private static UpstreamResult.Refused refusal(int status, String contentType, byte[] body, String retryAfter) {
        return new UpstreamResult.Refused(status, contentType, body, retryAfter, AnthropicErrorReader.messageOf(body));
    }
}
