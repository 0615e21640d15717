package dev.tollgate.admin.channels;

import dev.tollgate.admin.auth.Caller;
import dev.tollgate.admin.web.ApiException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** "Test channel" and "fetch models" (admin only): calls to the channel's upstream, nothing written. */
@RestController
public class ChannelProbeController {

    private final ChannelRepository channels;
    private final ChannelProber prober;

    ChannelProbeController(ChannelRepository channels, ChannelProber prober) {
        this.channels = channels;
        this.prober = prober;
    }

    /** A one-token chat request with the channel's test model (config.testModel, else its first model). */
    @PostMapping("/api/channels/{id}/test")
    public Mono<ChannelTestView> test(Caller caller, @PathVariable long id) {
        caller.requireAdmin();
        return stored(id).flatMap(prober::test);
    }

    @GetMapping("/api/channels/{id}/upstream-models")
    public Mono<UpstreamModelsView> upstreamModels(Caller caller, @PathVariable long id) {
        caller.requireAdmin();
        return stored(id).flatMap(prober::models);
    }

    private Mono<ChannelView.StoredChannel> stored(long id) {
        return channels.findStored(id)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("channel")));
    }
}
