package dev.tollgate.relay.provider.openai;

import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.provider.ProviderAdapter;
import dev.tollgate.relay.provider.Providers;
import dev.tollgate.relay.provider.StreamStep;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.provider.UpstreamResult;
import io.netty.handler.timeout.ReadTimeoutException;
import java.util.concurrent.TimeoutException;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** OpenAI and every OpenAI-compatible server: {@code POST {baseUrl}/chat/completions}. */
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
        return post(call, false)
                .accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(OpenAiAdapter::toResult)
                .onErrorMap(OpenAiAdapter::isTransportFailure, OpenAiAdapter::toFailure);
    }

    @Override
    public Mono<UpstreamResult> stream(UpstreamCall call) {
        return post(call, true)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .toEntityFlux(SSE)
                .map(entity -> streaming(entity, call.clientWantsUsage()))
                .onErrorResume(WebClientResponseException.class, OpenAiAdapter::refused)
                .onErrorMap(OpenAiAdapter::isTransportFailure, OpenAiAdapter::toFailure);
    }

    private WebClient.RequestHeadersSpec<?> post(UpstreamCall call, boolean stream) {
        byte[] body = OpenAiRequestMapper.createRequest(call, stream);
        String apiKey = call.channel().apiKey();
        return webClient.post()
                .uri(chatUrl(call.channel().baseUrl()))
                .headers(headers -> authorize(headers, apiKey))
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

    private static Mono<UpstreamResult> toResult(ClientResponse response) {
        int status = response.statusCode().value();
        String contentType = response.headers().contentType().map(MediaType::toString).orElse(null);
        return response.bodyToMono(byte[].class)
                .defaultIfEmpty(EMPTY)
                .map(body -> response.statusCode().isError()
                        ? new UpstreamResult.Refused(status, contentType, body,
                                response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER))
                        : OpenAiUsageExtractor.toAnswered(status, contentType, body));
    }

    private static UpstreamResult streaming(ResponseEntity<Flux<ServerSentEvent<String>>> entity, boolean wantsUsage) {
        Flux<ServerSentEvent<String>> events = entity.getBody() == null ? Flux.empty() : entity.getBody();
        Flux<StreamStep> steps = events
                .filter(event -> event.data() != null)
                .map(event -> OpenAiStreamTranslator.toStreamStep(event.data(), wantsUsage));
        return new UpstreamResult.Streaming(steps);
    }

    private static Mono<UpstreamResult> refused(WebClientResponseException e) {
        MediaType type = e.getHeaders().getContentType();
        return Mono.just(new UpstreamResult.Refused(e.getStatusCode().value(), type == null ? null : type.toString(),
                e.getResponseBodyAsByteArray(), e.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)));
    }

    private static boolean isTransportFailure(Throwable e) {
        return e instanceof WebClientRequestException || e instanceof TimeoutException
                || e instanceof ReadTimeoutException || e.getCause() instanceof ReadTimeoutException;
    }

    private static UpstreamFailure toFailure(Throwable e) {
        if (e instanceof TimeoutException || e instanceof ReadTimeoutException
                || e.getCause() instanceof ReadTimeoutException) {
            return new UpstreamFailure.TimedOut("upstream did not answer in time", e);
        }
        return new UpstreamFailure.Unreachable("upstream unreachable: " + e.getClass().getSimpleName(), e);
    }
}
