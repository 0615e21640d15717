package dev.tollgate.relay.provider.azure;

import dev.tollgate.contracts.upstream.AzureOpenAi;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.provider.openai.OpenAiPreset;
import dev.tollgate.relay.provider.openai.OpenAiTarget;
import dev.tollgate.relay.snapshot.Channel;

/**
 * Where an Azure channel's call goes (the URLs are {@link AzureOpenAi}'s, shared with the channel probes): the
 * model's deployment ({@code config.deployments}, else the upstream model name) at the channel's
 * {@code config.apiVersion} (default {@value AzureOpenAi#DEFAULT_API_VERSION}), or the v1 surface with the
 * deployment as the body's model. Pure.
 */
final class AzureTargets {

    private AzureTargets() {
    }

    /** @throws UpstreamFailure.Unreachable when the channel names no resource endpoint */
    static OpenAiTarget target(UpstreamCall call) {
        Channel channel = call.channel();
        if (channel.baseUrl() == null || channel.baseUrl().isBlank()) {
            throw new UpstreamFailure.Unreachable("the Azure channel names no resource endpoint", null);
        }
        AzureOpenAi azure = AzureOpenAi.of(channel.baseUrl(), channel.config());
        String deployment = AzureOpenAi.deployment(channel.config(), call.upstreamModel(), call.askedModel());
        return new OpenAiTarget(azure.url(deployment, call.operation().path()), azure.v1() ? deployment : call.upstreamModel(),
                OpenAiPreset.azure(azure.modern()), OpenAiTarget.KeyHeader.API_KEY);
    }
}
