package dev.tollgate.admin.live;

import dev.tollgate.admin.auth.Caller;
import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The live ops view (admin only: it shows every customer's traffic; a customer's own dashboard is built from
 * {@code /api/stats} and {@code /api/logs}). The stream sends a snapshot at once and then about every second.
 */
@RestController
public class LiveController {

    static final Duration PERIOD = Duration.ofSeconds(1);

    private final LiveStats live;

    public LiveController(LiveStats live) {
        this.live = live;
    }

    @GetMapping("/api/live")
    public Mono<LiveSnapshot> snapshot(Caller caller) {
        caller.requireAdmin();
        return Mono.fromSupplier(live::snapshot);
    }

    @GetMapping(value = "/api/live/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<LiveSnapshot>> stream(Caller caller) {
        caller.requireAdmin();
        return Flux.interval(Duration.ZERO, PERIOD)
                .onBackpressureDrop()
                .map(tick -> ServerSentEvent.builder(live.snapshot()).event("snapshot").build());
    }
}
