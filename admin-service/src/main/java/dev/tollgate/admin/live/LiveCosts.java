package dev.tollgate.admin.live;

import dev.tollgate.admin.prices.GroupView;
import dev.tollgate.admin.prices.PriceRepository;
import dev.tollgate.admin.prices.PriceView;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.money.Cost;
import dev.tollgate.contracts.money.Price;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What a usage event costs, by the contracts formula: the price version the event names (versions never change, so
 * they are cached for good) times its group's multiplier (cached a minute). Called on the usage consumer's own
 * thread, which may wait briefly for MySQL on a cache miss; when MySQL does not answer the request counts as free
 * rather than holding the stream back. The ledger's charge stays the authority: this is for the dashboard.
 */
@Component
class LiveCosts {

    private static final Logger log = LoggerFactory.getLogger(LiveCosts.class);
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration GROUP_TTL = Duration.ofMinutes(1);
    private static final int MAX_PRICES = 10_000;
    private static final String DEFAULT_GROUP = "default";

    private final PriceRepository prices;
    private final Clock clock;
    private final Map<String, Optional<Price>> priceVersions = new ConcurrentHashMap<>();
    private final Map<String, Multiplier> multipliers = new ConcurrentHashMap<>();

    private record Multiplier(long bp, Instant readAt) {
    }

    LiveCosts(PriceRepository prices, Clock clock) {
        this.prices = prices;
        this.clock = clock;
    }

    long costOf(UsageEvent e) {
        if (e.priceVersion() <= 0 || e.pricedModel() == null) {
            return 0;
        }
        try {
            Optional<Price> price = price(e.pricedModel(), e.priceVersion());
            return price.map(p -> Cost.micros(e.tokens(), p, multiplierBp(e.group()))).orElse(0L);
        } catch (RuntimeException failure) {
            log.debug("cannot price request {} for the live view: {}", e.requestId(), failure.toString());
            return 0;
        }
    }

    private Optional<Price> price(String model, long version) {
        String key = version + ":" + model;
        Optional<Price> cached = priceVersions.get(key);
        if (cached != null) {
            return cached;
        }
        Optional<Price> loaded = Optional.ofNullable(prices.version(model, version).block(LOOKUP_TIMEOUT))
                .map(LiveCosts::toPrice);
        if (priceVersions.size() >= MAX_PRICES) {
            priceVersions.clear();
        }
        priceVersions.put(key, loaded);
        return loaded;
    }

    private long multiplierBp(String group) {
        String name = group == null || group.isBlank() ? DEFAULT_GROUP : group;
        Instant now = clock.instant();
        Multiplier cached = multipliers.get(name);
        if (cached != null && cached.readAt().plus(GROUP_TTL).isAfter(now)) {
            return cached.bp();
        }
        GroupView view = prices.group(name).block(LOOKUP_TIMEOUT);
        // An unknown group counts as 1×, as the ledger counts it.
        long bp = view == null ? Cost.BASIS_POINTS_ONE : view.multiplierBp();
        multipliers.put(name, new Multiplier(bp, now));
        return bp;
    }

    static Price toPrice(PriceView v) {
        return new Price(v.inputMicrosPerMTok(), v.outputMicrosPerMTok(), v.cachedInputMicrosPerMTok(),
                v.cacheWriteMicrosPerMTok(), v.perRequestMicros(), v.perImageMicros(), v.perAudioSecondMicros(),
                v.reasoningMicrosPerMTok());
    }
}
