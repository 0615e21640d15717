package dev.tollgate.relay.provider.openai;

import dev.tollgate.contracts.upstream.ProviderDefaults;
import dev.tollgate.relay.provider.Operation;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.UpstreamFailure;

/**
 * Where one chat call of the OpenAI wire family goes, and how: computed per call from the channel. Holds no
 * secret (the key is read from the channel when the headers are written).
 *
 * @param url       the endpoint's URL (chat completions, embeddings …)
 * @param model     the model written in the body
 * @param preset    what the server needs done its own way
 * @param keyHeader how the channel's key is sent
 */
public record OpenAiTarget(String url, String model, OpenAiPreset preset, KeyHeader keyHeader) {

    /** How a server takes its key. */
    public enum KeyHeader {
        /** {@code Authorization: Bearer <key>}: OpenAI and the compatible servers. */
        BEARER,
        /** {@code api-key: <key>}: Azure OpenAI. */
        API_KEY
    }

    /**
     * OpenAI and its presets: {@code {baseUrl}/chat/completions} (the preset's default base URL when the channel's
     * is blank), the channel's upstream model name, a bearer key.
     *
     * @throws UpstreamFailure.Unreachable when the channel names no base URL and its provider has no default
     */
    public static OpenAiTarget of(UpstreamCall call) {
        String provider = call.channel().provider();
        String base = ProviderDefaults.baseUrlOr(provider, call.channel().baseUrl());
        if (base == null) {
            throw new UpstreamFailure.Unreachable("the channel names no base URL", null);
        }
        return new OpenAiTarget(url(base, call.operation()), call.upstreamModel(), OpenAiPreset.forProvider(provider),
                KeyHeader.BEARER);
    }

    static String chatUrl(String baseUrl) {
        return url(baseUrl, Operation.CHAT);
    }

    /**
     * A URL below an endpoint's ({@code …/responses} → {@code …/responses/{id}/cancel}), keeping the endpoint's own
     * query (Azure's {@code api-version}) and adding the client's.
     */
    public static String under(String endpointUrl, String path, String query) {
        int q = endpointUrl.indexOf('?');
        String base = q < 0 ? endpointUrl : endpointUrl.substring(0, q);
        String own = q < 0 ? null : endpointUrl.substring(q + 1);
        String joined = own == null || own.isEmpty() ? query
                : query == null || query.isEmpty() ? own : own + "&" + query;
        return base + path + (joined == null || joined.isEmpty() ? "" : "?" + joined);
    }

    /** {@code {baseUrl}/chat/completions}, {@code /embeddings} … */
    static String url(String baseUrl, Operation operation) {
        String base = baseUrl;
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + "/" + operation.path();
    }
}
