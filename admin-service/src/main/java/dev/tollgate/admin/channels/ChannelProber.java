package dev.tollgate.admin.channels;

import dev.tollgate.admin.web.ApiException;
import dev.tollgate.contracts.upstream.ProbeFailedException;
import dev.tollgate.contracts.upstream.ProbeResult;
import dev.tollgate.contracts.upstream.UpstreamProbe;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Calls a channel's upstream for the admin (test, list models) with the shared {@link UpstreamProbe}: the
 * blocking call runs on the bounded-elastic pool, the key is decrypted only for it, and only generic,
 * scrubbed messages come back. Bedrock is not supported (the probe would need the AWS SDK's control-plane
 * client, which this build does not carry).
 */
@Component
class ChannelProber {

    private static final Logger log = LoggerFactory.getLogger(ChannelProber.class);

    private final ChannelSecrets secrets;
    private final UpstreamProbe probe = new UpstreamProbe();

    ChannelProber(ChannelSecrets secrets) {
        this.secrets = secrets;
    }

    Mono<ChannelTestView> test(ChannelView.StoredChannel channel) {
        return Mono.fromCallable(() -> {
            String apiKey = secrets.decrypt(channel.apiKeyCiphertext());
            ProbeResult result = probe.probe(channel.provider(), channel.baseUrl(), apiKey, channel.config(),
                    testModel(channel));
            log.info("Channel {} tested: {} {} in {} ms", channel.id(), result.verdict(), result.status(),
                    result.latencyMs());
            return new ChannelTestView(result.ok(), result.status(), result.latencyMs(), result.message());
        }).subscribeOn(Schedulers.boundedElastic());
    }

    Mono<UpstreamModelsView> models(ChannelView.StoredChannel channel) {
        return Mono.fromCallable(() -> {
            String apiKey = secrets.decrypt(channel.apiKeyCiphertext());
            try {
                List<String> models = probe.models(channel.provider(), channel.baseUrl(), apiKey, channel.config());
                return new UpstreamModelsView(models);
            } catch (ProbeFailedException e) {
                throw refused(e.result());
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** {@code config.testModel} if set, else the channel's first model under the upstream's name. */
    static String testModel(ChannelView.StoredChannel channel) {
        Object configured = channel.config() == null ? null : channel.config().get("testModel");
        if (configured != null && !configured.toString().isBlank()) {
            return configured.toString();
        }
        if (channel.models() == null || channel.models().isEmpty()) {
            return null;
        }
        String asked = channel.models().get(0);
        return channel.modelMapping() == null ? asked : channel.modelMapping().getOrDefault(asked, asked);
    }

    private static ApiException refused(ProbeResult result) {
        if (!result.supported()) {
            return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "unsupported_provider", result.message());
        }
        return new ApiException(HttpStatus.BAD_GATEWAY, "upstream_failed", result.message());
    }
}
