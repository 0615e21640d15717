package dev.tollgate.relay.provider.openai;

import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.provider.ChannelOptions;
import dev.tollgate.relay.provider.ProviderAdapter;
import dev.tollgate.relay.provider.Providers;
import dev.tollgate.relay.provider.StreamStep;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.provider.UpstreamFailures;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.snapshot.Channel;
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

/**
 * OpenAI and every OpenAI-compatible server: {@code POST {baseUrl}/chat/completions}. An OpenAI caller's request is
 * passed through; any other caller's is translated ({@link OpenAiRequestMapper}, {@link OpenAiResponseMapper},
 * {@link OpenAiChatStreamTranslator}).
 */
public class OpenAiAdapter implements ProviderAdapter {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
            new ParameterizedTypeReference<>() { };
    private static final byte[] EMPTY = new byte[0];

    private final WebClient webClient;

    public OpenAiAdapter(WebClient webClient) {
        this.webClient = webClient;
    }

    @Override
    public boolean supports(String provider) {
        return Providers.OPENAI.equals(Providers.family(provider));
    }

    @Override
    public Dialect dialect() {
        return Dialect.OPENAI;
    }

    @Override
    public Mono<UpstreamResult> complete(UpstreamCall call) {
        // Deferred: a request the mapper cannot translate fails as an error signal, not a throw at assembly.
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
                        .toEntityFlux(SSE))
                .map(entity -> call.translated() ? translated(entity) : streaming(entity, call.clientWantsUsage()))
                .onErrorResume(WebClientResponseException.class, OpenAiAdapter::refused)
                .onErrorMap(UpstreamFailures::isTransportFailure, UpstreamFailures::toFailure);
    }

    private WebClient.RequestHeadersSpec<?> post(UpstreamCall call, boolean stream) {
        byte[] body = call.translated()
                ? OpenAiRequestMapper.createRequest(call.chat(), call.upstreamModel(), stream)
                : OpenAiRequestMapper.createRequest(call, stream);
        Channel channel = call.channel();
        return webClient.post()
                .uri(chatUrl(channel.baseUrl()))
                .headers(headers -> {
                    authorize(headers, channel.apiKey());
                    ChannelOptions.addExtraHeaders(headers, channel);
                })
                .httpRequest(ChannelOptions.responseTimeout(channel))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body);
    }

    static String chatUrl(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return base + "/chat/completions";
    }

    private static void authorize(HttpHeaders headers, String apiKey) {
        if (apiKey != null && !apiKey.isEmpty()) {
            headers.setBearerAuth(apiKey);
        }
    }

    private static Mono<UpstreamResult> toResult(ClientResponse response, boolean translated) {
        return response.bodyToMono(byte[].class)
                .defaultIfEmpty(EMPTY)
                .map(body -> toResult(response, body, translated));
    }

    private static UpstreamResult toResult(ClientResponse response, byte[] body, boolean translated) {
        int status = response.statusCode().value();
        String contentType = response.headers().contentType().map(MediaType::toString).orElse(null);
        if (response.statusCode().isError()) {
            return new UpstreamResult.Refused(status, contentType, body,
                    response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER),
                    OpenAiErrorReader.message(body));
        }
        return translated ? completed(body) : OpenAiUsageExtractor.toAnswered(status, contentType, body);
    }

    private static UpstreamResult completed(byte[] body) {
        try {
            return new UpstreamResult.Completed(OpenAiResponseMapper.toChatResponse(body));
        } catch (IllegalArgumentException e) {
            // A success status with no answer in it: as good as no answer, so failover may try another channel.
            throw new UpstreamFailure.Unreachable("upstream answered without a readable chat.completion", e);
        }
    }

    private static UpstreamResult streaming(ResponseEntity<Flux<ServerSentEvent<String>>> entity, boolean wantsUsage) {
        Flux<ServerSentEvent<String>> events = entity.getBody() == null ? Flux.empty() : entity.getBody();
        Flux<StreamStep> steps = events
                .filter(event -> event.data() != null)
                .map(event -> OpenAiStreamTranslator.toStreamStep(event.data(), wantsUsage));
        return new UpstreamResult.Streaming(steps);
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
                body, e.getHeaders().getFirst(HttpHeaders.RETRY_AFTER), OpenAiErrorReader.message(body)));
    }
}
