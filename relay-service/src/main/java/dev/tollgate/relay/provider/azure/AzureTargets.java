package dev.tollgate.relay.provider.azure;

import dev.tollgate.contracts.upstream.AzureOpenAi;
import dev.tollgate.relay.provider.Operation;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.provider.openai.OpenAiPreset;
import dev.tollgate.relay.provider.openai.ResponsesCapability;
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

    /**
     * Whether the channel serves the Responses API itself: its {@code config.nativeResponses}, else whether its
     * surface has it (v1, or a dated version from 2025-03-01-preview on).
     */
    static boolean servesResponses(Channel channel) {
        Boolean override = ResponsesCapability.override(channel);
        if (override != null) {
            return override;
        }
        return channel.baseUrl() != null && !channel.baseUrl().isBlank()
                && AzureOpenAi.of(channel.baseUrl(), channel.config()).servesResponses();
    }

    /** @throws UpstreamFailure.Unreachable when the channel names no resource endpoint */
    static OpenAiTarget target(UpstreamCall call) {
        Channel channel = call.channel();
        if (channel.baseUrl() == null || channel.baseUrl().isBlank()) {
            throw new UpstreamFailure.Unreachable("the Azure channel names no resource endpoint", null);
        }
        AzureOpenAi azure = AzureOpenAi.of(channel.baseUrl(), channel.config());
        String deployment = AzureOpenAi.deployment(channel.config(), call.upstreamModel(), call.askedModel());
        if (call.operation() == Operation.RESPONSES) {
            // One URL for the resource; the deployment is the body's model on either surface.
            return new OpenAiTarget(azure.responsesUrl(), deployment, OpenAiPreset.azure(azure.modern()),
                    OpenAiTarget.KeyHeader.API_KEY);
        }
        return new OpenAiTarget(azure.url(deployment, call.operation().path()), azure.v1() ? deployment : call.upstreamModel(),
                OpenAiPreset.azure(azure.modern()), OpenAiTarget.KeyHeader.API_KEY);
    }
}
