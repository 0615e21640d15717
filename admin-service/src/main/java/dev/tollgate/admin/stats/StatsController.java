package dev.tollgate.admin.stats;

import dev.tollgate.admin.auth.Caller;
import java.time.Clock;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Usage statistics per day, hour, model, user, key or channel; a customer sees only their own. */
@RestController
public class StatsController {

    private final StatsRepository stats;
    private final Clock clock;

    public StatsController(StatsRepository stats, Clock clock) {
        this.stats = stats;
        this.clock = clock;
    }

    @GetMapping("/api/stats")
    public Mono<StatsView> stats(Caller caller, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String groupBy,
            @RequestParam(required = false) Long userId, @RequestParam(required = false) Long keyId,
            @RequestParam(required = false) String model, @RequestParam(required = false) Long channelId) {
        return stats.sum(StatsQuery.of(caller, clock, from, to, groupBy, userId, keyId, model, channelId));
    }
}
