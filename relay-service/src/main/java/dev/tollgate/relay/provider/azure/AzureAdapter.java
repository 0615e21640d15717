package dev.tollgate.relay.provider.azure;

import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.provider.NativeResponses;
import dev.tollgate.relay.provider.Operation;
import dev.tollgate.relay.provider.ProviderAdapter;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.provider.openai.OpenAiAdapter;
import dev.tollgate.relay.snapshot.Channel;
import java.util.Locale;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Azure OpenAI: OpenAI's wire format at Azure's URLs ({@link AzureTargets}) with an {@code api-key} header, so the
 * OpenAI adapter does the calls (pass-through for OpenAI callers, translation for the others) and this one adds
 * only what is Azure's own: which of its refusals are about the channel's setup ({@link AzureErrorReader}).
 * Azure's answers carry filter annotations the OpenAI readers skip; its {@code content_filter} finish reason is
 * OpenAI's and becomes {@code CONTENT_FILTERED}. The Responses API is served natively where the channel's surface
 * has it ({@link AzureTargets#servesResponses}).
 */
public class AzureAdapter implements ProviderAdapter, NativeResponses {

    public static final String PROVIDER = "azure";

    private final OpenAiAdapter openAi;

    public AzureAdapter(WebClient webClient) {
        this.openAi = new OpenAiAdapter(webClient, AzureTargets::target, AzureTargets::servesResponses);
    }

    @Override
    public boolean passesThrough(Dialect inbound, Channel channel) {
        return openAi.passesThrough(inbound, channel);
    }

    @Override
    public boolean servesResponses(Channel channel) {
        return openAi.servesResponses(channel);
    }

    @Override
    public Mono<UpstreamResult> stored(Channel channel, HttpMethod method, String responseId, String tail,
            String query) {
        return openAi.stored(channel, method, responseId, tail, query);
    }

    @Override
    public boolean supports(String provider) {
        return provider != null && PROVIDER.equals(provider.trim().toLowerCase(Locale.ROOT));
    }

    @Override
    public Dialect dialect() {
        return Dialect.OPENAI;
    }

    /** Azure OpenAI's endpoints: everything OpenAI's are, but rerank (Azure has none in the OpenAI shape). */
    @Override
    public boolean serves(Operation operation, Channel channel) {
        return operation != Operation.RERANK;
    }

    @Override
    public Mono<UpstreamResult> complete(UpstreamCall call) {
        return openAi.complete(call)
                .map(AzureErrorReader::classify);
    }

    @Override
    public Mono<UpstreamResult> stream(UpstreamCall call) {
        return openAi.stream(call)
                .map(AzureErrorReader::classify);
    }
}
